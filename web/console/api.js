// The public API, as the page uses it: the key from sessionStorage in an Authorization header
// (never in a URL), JSON in and out, errors as exceptions with the API's code and message.
const keyName = 'imgline.key';

export function savedKey() {
  return sessionStorage.getItem(keyName);
}

export function saveKey(key) {
  sessionStorage.setItem(keyName, key);
}

export function forgetKey() {
  sessionStorage.removeItem(keyName);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || '';
    this.body = body;
  }
}

function headers(extra = {}) {
  const key = savedKey();
  return key ? { Authorization: `Bearer ${key}`, ...extra } : extra;
}

async function json(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

export async function get(path) {
  return json(await fetch(path, { headers: headers() }));
}

export async function remove(path) {
  return json(await fetch(path, { method: 'DELETE', headers: headers() }));
}

export async function post(path, body, type) {
  return json(await fetch(path, { method: 'POST', headers: headers({ 'Content-Type': type }), body }));
}

/** A blob of an API resource that needs the key (an original's file). */
export async function blob(path) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => null));
  }
  return response.blob();
}

/**
 * Uploads one file (POST /v1/originals, raw body) and reports progress (0..1) as it goes;
 * XMLHttpRequest because fetch cannot tell upload progress. Resolves with {status, body}.
 */
export function upload(file, query, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/v1/originals${query}`);
    for (const [name, value] of Object.entries(headers({
      'Content-Type': file.type && file.type.startsWith('image/') ? file.type : 'application/octet-stream',
    }))) {
      request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { body = null; }
      resolve({ status: request.status, body });
    };
    request.onerror = () => reject(new ApiError(0, null));
    request.send(file);
  });
}
