// A browser upload to file-service (`POST /api/v1/files/upload?task_id=`, multipart part `file`). XMLHttpRequest,
// because fetch reports no upload progress.

import { ApiError } from './api.js';

/**
 * Uploads `file`; `onProgress(percent, loaded, total)` as bytes leave the browser. Resolves with file-service's
 * answer (`filename, object_key, url, size, content_type, …`), rejects with an ApiError.
 */
export function uploadFile({ url, token, file, onProgress = () => {} }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress((event.loaded / event.total) * 100, event.loaded, event.total);
      }
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100, file.size, file.size);
        resolve(body);
      } else {
        reject(new ApiError(xhr.status, body));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { detail: 'The upload was cancelled' })));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
