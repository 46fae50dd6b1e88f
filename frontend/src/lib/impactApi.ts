// The impact API's reads (indicator catalogue, a commons' objectives, an objective with its measurements, emission factors), typed from the server's spec, and the upload of a measurement's evidence.
import { api, ensureCsrf } from './api/client';
import type { MeasurementEvidence } from './api/types';
import { ApiError, type ErrorBody } from './errors';
import { i18n } from './i18n/index.svelte';

export type {
  EmissionFactor,
  ImpactIndicator as Indicator,
  Measurement,
  MeasurementEvidence,
  Objective,
  ObjectiveDetail,
} from './api/types';

export const impactApi = {
  indicators: () => api.GET('/api/v1/impact/indicators'),
  objectives: (slug: string) => api.GET('/api/v1/impact/commons/{slug}/objectives', { params: { path: { slug } } }),
  objective: (id: number) => api.GET('/api/v1/impact/objectives/{objective_id}', { params: { path: { objective_id: id } } }),
  factors: () => api.GET('/api/v1/impact/emission-factors'),
};

/** The link to download an evidence file of a measurement. */
export function evidenceHref(measurementId: number, evidenceId: number): string {
  return `/api/v1/impact/measurements/${measurementId}/evidence/${evidenceId}`;
}

function csrfCookie(): string {
  return document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] ?? '';
}

function refusal(xhr: XMLHttpRequest): ErrorBody {
  try {
    const parsed = JSON.parse(xhr.responseText);
    // A refused file comes as a field error on `file`: show that field's code.
    if (parsed && typeof parsed.code === 'string') return parsed.fields?.file ?? parsed;
  } catch {
    // not JSON: a proxy page
  }
  return { code: xhr.status === 413 ? 'evidence_too_large' : xhr.status >= 500 ? 'server_error' : `http_${xhr.status}`, message: '' };
}

/**
 * Sends `file` as evidence of a measurement awaiting review (multipart, online only: a file is not a command, as a
 * contribution's evidence); `progress` gets a fraction from 0 to 1.
 */
export async function uploadMeasurementEvidence(measurementId: number, file: File, progress: (fraction: number) => void): Promise<MeasurementEvidence> {
  await ensureCsrf();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/impact/measurements/${measurementId}/evidence`);
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
      } else reject(new ApiError(xhr.status, refusal(xhr)));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
