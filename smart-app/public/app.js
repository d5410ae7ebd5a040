// The nurse's triage page: load the launch context, assess, show, and send the decision back.
import { ApiError, assess, decide, loadContext, readResource, retryDecision } from './api-client.js';
import { renderAssessment, renderBanner } from './render.js';

const $ = (id) => document.getElementById(id);
let current = null;

function setStatus(text) {
  $('status').textContent = text;
}

function showError(err) {
  const box = $('error');
  let text = err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
  if (err instanceof ApiError && (err.code === 'session-expired' || err.code === 'no-session')) {
    text = 'Session expired, relaunch the app from the EHR.';
    document.body.classList.add('expired');
  }
  box.textContent = text;
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function setBusy(busy) {
  for (const id of ['assess-btn', 'accept-btn', 'override-btn', 'retry-btn']) $(id).disabled = busy;
}

function showPending(pending) {
  const retry = $('retry-btn');
  if (!pending) {
    retry.hidden = true;
    return;
  }
  const what =
    pending.action === 'accept' ? `accept level ${pending.level}` : `override to level ${pending.level}`;
  $('decision-result').textContent =
    `Not yet saved: your decision to ${what}${pending.lastError ? ` (${pending.lastError})` : ''}. It is kept and can be sent again.`;
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
    $('retry-btn').hidden = true;
    $('override-form').reset();
  } catch (err) {
    $('decision-result').textContent = '';
    showError(err);
    if (err instanceof ApiError && err.details?.pendingDecision) showPending(err.details.pendingDecision);
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
