// Uploads one evidence file (multipart, not a command: online only) with progress, refusals read by their code.
import { ApiError, type ErrorBody } from '../errors';
import { i18n } from '../i18n/index.svelte';
import type { Evidence } from './types';
import { ensureCsrf } from './client';

function csrfCookie(): string {
  return document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] ?? '';
}

function body(xhr: XMLHttpRequest): ErrorBody {
  try {
    const parsed = JSON.parse(xhr.responseText);
    if (parsed && typeof parsed.code === 'string') {
      // A refused file comes as a field error on `file`: show that field's code.
      return parsed.fields?.file ?? parsed;
    }
  } catch {
    // not JSON: a proxy page
  }
  return { code: xhr.status === 413 ? 'evidence_too_large' : xhr.status >= 500 ? 'server_error' : `http_${xhr.status}`, message: '' };
}

/** Sends `file` as the evidence of a contribution; `progress` gets a fraction from 0 to 1. */
export async function uploadEvidence(contributionId: number, file: File, progress: (fraction: number) => void): Promise<Evidence> {
  await ensureCsrf();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/contributions/${contributionId}/evidence`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-CSRFToken', csrfCookie());
    xhr.setRequestHeader('Accept-Language', i18n.locale);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        progress(1);
        resolve(JSON.parse(xhr.responseText));
      } else reject(new ApiError(xhr.status, body(xhr)));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
