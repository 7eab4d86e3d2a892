// A scripted user for oidc-provider's development login and consent pages:
// `node consent.mjs AUTHORIZE_URL` logs in as alice, consents, and follows the
// final redirect to the loopback callback, as a browser would. With
// CONSENT=deny it aborts instead, which redirects with error=access_denied.
const start = process.argv[2];
const deny = process.env.CONSENT === 'deny';
const jar = new Map();

function remember(response) {
  for (const cookie of response.headers.getSetCookie?.() ?? []) {
    const [pair] = cookie.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

function cookieHeader() {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function go(url, init = {}) {
  let response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: cookieHeader() } });
  remember(response);
  let current = url;
  while ([301, 302, 303, 307, 308].includes(response.status)) {
    current = new URL(response.headers.get('location'), current).toString();
    response = await fetch(current, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    remember(response);
  }
  return { response, url: current };
}

function form(fields) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

let page = await go(start);
for (let step = 0; step < 4; step += 1) {
  const match = /\/interaction\/([^/?#]+)$/.exec(new URL(page.url).pathname);
  if (!match) break;
  const interaction = new URL(page.url);
  const html = await page.response.text();
  if (deny) {
    page = await go(new URL(`${interaction.pathname}/abort`, interaction).toString());
    break;
  }
  const fields = html.includes('name="login"')
    ? { prompt: 'login', login: 'alice', password: 'any' }
    : { prompt: 'consent' };
  page = await go(interaction.toString(), form(fields));
}
const body = await page.response.text();
console.log(`${page.response.status} ${page.url}`);
if (!body.includes('You can close this tab') && !deny) {
  console.error(body.slice(0, 500));
  process.exit(1);
}
