// The nurse's triage page: load the launch context, assess, show, and send the decision back.
import { ApiError, assess, decide, loadContext, readResource, retryDecision, signOut } from './api-client.js';
import { renderAssessment, renderBanner } from './render.js';
import { byId as $ } from './web-common/dom.js';

let current = null;
// An unsent decision blocks new ones (two Observations would contradict each other); Retry stays.
let pendingActive = false;
let pendingShown = null;
// Session over (expired, signed out, other patient): nothing may be sent from this page any more.
let ended = false;

const ENDING_CODES = ['session-expired', 'no-session', 'patient-mismatch'];

function setStatus(text) {
  $('status').textContent = text;
}

function showError(err) {
  const box = $('error');
  let text = err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
  if (err instanceof ApiError && (err.code === 'session-expired' || err.code === 'no-session')) {
    text = 'Session expired, relaunch the app from the EHR.';
  }
  if (err instanceof ApiError && ENDING_CODES.includes(err.code)) endSession();
  box.textContent = text;
  box.hidden = false;
}

function endSession() {
  ended = true;
  document.body.classList.add('expired');
  setBusy(false);
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function setBusy(busy) {
  $('assess-btn').disabled = busy || ended;
  $('retry-btn').disabled = busy || ended;
  $('signout-btn').disabled = busy || ended;
  for (const id of ['accept-btn', 'override-btn']) $(id).disabled = busy || ended || pendingActive;
}

function showPending(pending) {
  const retry = $('retry-btn');
  pendingActive = Boolean(pending);
  pendingShown = pending ?? null;
  setBusy(false);
  if (!pending) {
    retry.hidden = true;
    return;
  }
  const what =
    pending.action === 'accept' ? `accept level ${pending.level}` : `override to level ${pending.level}`;
  $('decision-result').textContent =
    `Not yet saved: your decision to ${what}${pending.lastError ? ` (${pending.lastError})` : ''}. It is kept and can be sent again; new decisions wait until it is saved.`;
  $('decision').hidden = false;
  retry.hidden = false;
}

async function runAssessment() {
  clearError();
  setBusy(true);
  setStatus('Assessing…');
  try {
    current = await assess($('chief-complaint').value.trim());
    renderAssessment(current);
    $('decision-result').textContent = '';
    // A new assessment does not hide a decision that still waits to be sent.
    if (pendingShown) showPending(pendingShown);
    setStatus(`Assessment ready: suggested level ${current.triage.level}.`);
  } catch (err) {
    setStatus('');
    showError(err);
  } finally {
    setBusy(false);
  }
}

async function send(decision, retry = false) {
  clearError();
  setBusy(true);
  $('decision-result').textContent = 'Saving the decision…';
  try {
    const saved = retry ? await retryDecision() : await decide(decision);
    $('decision-result').textContent = `Saved: level ${saved.level} recorded as ${saved.observation}.`;
    pendingActive = false;
    pendingShown = null;
    $('retry-btn').hidden = true;
    $('override-form').reset();
    $('decision-result').focus();
  } catch (err) {
    $('decision-result').textContent = '';
    showError(err);
    if (err instanceof ApiError && err.details?.pendingDecision) showPending(err.details.pendingDecision);
    $('error').focus();
  } finally {
    setBusy(false);
  }
}

async function leave() {
  clearError();
  setBusy(true);
  try {
    await signOut();
    current = null;
    endSession();
    setStatus('Signed out. Relaunch the app from the EHR to continue.');
    $('status').focus?.();
  } catch (err) {
    showError(err);
  } finally {
    setBusy(false);
  }
}

async function showResource(ref) {
  const dialog = $('resource-dialog');
  $('resource-title').textContent = ref;
  $('resource-body').textContent = 'Loading…';
  dialog.showModal();
  try {
    $('resource-body').textContent = JSON.stringify(await readResource(ref), null, 2);
  } catch (err) {
    $('resource-body').textContent =
      err instanceof ApiError ? err.message : 'The resource could not be read.';
  }
}

function wire() {
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('a.ref[data-ref]') : null;
    if (!link) return;
    e.preventDefault();
    showResource(link.getAttribute('data-ref'));
  });
  $('complaint-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runAssessment();
  });
  $('accept-btn').addEventListener('click', () => {
    if (current) send({ action: 'accept', assessmentId: current.assessmentId });
  });
  $('override-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!current) return;
    const level = $('override-level');
    const reason = $('override-reason');
    const hint = $('override-hint');
    level.removeAttribute('aria-invalid');
    reason.removeAttribute('aria-invalid');
    if (!level.value) {
      hint.textContent = 'Choose the level you assign.';
      level.setAttribute('aria-invalid', 'true');
      level.focus();
      return;
    }
    if (!reason.value.trim()) {
      hint.textContent = 'A reason is required to override the suggested level.';
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    hint.textContent = '';
    send({
      action: 'override',
      assessmentId: current.assessmentId,
      level: Number(level.value),
      reason: reason.value.trim(),
    });
  });
  $('retry-btn').addEventListener('click', () => send(null, true));
  $('signout-btn').addEventListener('click', () => leave());
}

async function start() {
  wire();
  try {
    const ctx = await loadContext();
    renderBanner(ctx);
    showPending(ctx.pendingDecision);
  } catch (err) {
    setStatus('');
    showError(err);
    return;
  }
  await runAssessment();
}

start();
