// The dashboard's link to its session: the token, the REST calls and the live WebSocket.

const KEY = 'trading-orchestrator-token';

/**
 * The session's token: taken from the link's fragment (`#token=…`, which no request carries) into this tab's
 * session storage, and the fragment removed from the address bar so it is not bookmarked or shared.
 */
export function takeToken() {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash);
  if (match !== null) {
    sessionStorage.setItem(KEY, match[1]);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

/** One control API call; rejects with the server's own message. */
export async function api(token, method, path) {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `the session answered ${response.status}`);
  return body;
}

/**
 * Follows the session's live feed: `onMessage` gets each `{topic, time, data}`, the first being the snapshot;
 * `onState` is told 'live', 'reconnecting' or 'refused'. A dropped socket is reopened with backoff.
 */
export function follow(token, onMessage, onState) {
  let delay = 500;
  const open = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`);
    socket.onopen = () => {
      socket.send(JSON.stringify({ token }));
      delay = 500;
      onState('live');
    };
    socket.onmessage = (event) => onMessage(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (event.code === 4401) return onState('refused');
      onState('reconnecting');
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  open();
}
