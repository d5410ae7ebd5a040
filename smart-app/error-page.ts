// Plain HTML for launch and callback failures: the user sees what went wrong and what to do next.
const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function errorPage(title: string, message: string, hint = 'Relaunch the app from the EHR.'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CiteCare: ${escapeHtml(title)}</title>
<link rel="stylesheet" href="/smart/app.css">
</head>
<body>
<main class="error-page">
<h1>${escapeHtml(title)}</h1>
<p role="alert" id="launch-error">${escapeHtml(message)}</p>
<p>${escapeHtml(hint)}</p>
</main>
</body>
</html>
`;
}
