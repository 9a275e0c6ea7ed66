// Files: an upload from the browser to file-service with a progress bar, and the files this user uploaded (the
// answers of this page's uploads and `file:uploaded` / `file:deleted` frames of `user:{sub}`), each with a
// presigned download link from file-service's download API.

import { encodePath } from '../api.js';
import { h, renderScheduler, setProgress, setText, syncList } from '../dom.js';
import { formatAgo, formatBytes, formatPercent } from '../format.js';
import { applyFileFrame, createFileStore, filesNewestFirst, mergeFile } from '../model.js';
import { uploadFile } from '../upload.js';

const SHOWN = 30;
const LINK_LIFETIME_S = 3600;
/** A presigned link is fetched again when it is older than this (it lives LINK_LIFETIME_S). */
const LINK_REFRESH_MS = 50 * 60 * 1000;

export function createFilesPanel(ctx) {
  const store = createFileStore();
  const form = document.getElementById('upload-form');
  const taskInput = document.getElementById('upload-task-id');
  const fileInput = document.getElementById('file-input');
  const button = document.getElementById('upload-button');
  const progress = document.getElementById('upload-progress');
  const progressText = document.getElementById('upload-progress-text');
  const list = document.getElementById('files-list');
  const empty = document.getElementById('files-empty');
  const render = renderScheduler(draw);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    const file = fileInput.files[0];
    const taskId = taskInput.value.trim();
    button.disabled = true;
    setProgress(progress, 0);
    setText(progressText, `Uploading ${file.name}…`);
    try {
      const answer = await uploadFile({
        url: ctx.api.url('api/v1/files/upload', { task_id: taskId }),
        token: ctx.token(),
        file,
        onProgress: (percent) => {
          setProgress(progress, percent);
          setText(progressText, `Uploading ${file.name}… ${formatPercent(percent)}`);
        },
      });
      mergeFile(store, { ...answer, task_id: answer?.task_id ?? taskId });
      setText(progressText, `${answer?.filename ?? file.name} uploaded (${formatBytes(answer?.size ?? file.size)})`);
      fileInput.value = '';
      render();
    } catch (error) {
      setProgress(progress, 0);
      setText(progressText, `Upload failed: ${error.message}`);
      ctx.toast({ title: 'Upload failed', message: error.message, type: 'error' });
    } finally {
      button.disabled = false;
    }
  });

  function onFrame(frame) {
    if (applyFileFrame(store, frame)) {
      render();
    }
  }

  function draw() {
    const files = filesNewestFirst(store).slice(0, SHOWN);
    empty.hidden = files.length > 0;
    syncList(list, files, (f) => f.object_key, createFile, updateFile);
  }

  function createFile(file) {
    const link = h('a', {
      class: 'download',
      href: ctx.api.url(`api/v1/files/download/${encodePath(file.task_id ?? '')}/${encodePath(file.filename)}`),
      text: 'Download',
      attrs: { 'aria-label': `Download ${file.filename}`, rel: 'noopener noreferrer' },
    });
    // the API answers a presigned URL for a bearer token; a plain navigation carries no token, so the link points
    // at the presigned URL itself, fetched now and again when it is about to expire
    link.addEventListener('click', async (event) => {
      if (link.dataset.fetchedAt && Date.now() - Number(link.dataset.fetchedAt) < LINK_REFRESH_MS) {
        return;
      }
      event.preventDefault();
      try {
        await presign(link, file);
        window.location.assign(link.href);
      } catch (error) {
        ctx.toast({ title: `Download of ${file.filename} failed`, message: error.message, type: 'error' });
      }
    });
    presign(link, file).catch(() => {});
    return h(
      'li',
      { class: 'file', data: { objectKey: file.object_key } },
      h('div', { class: 'file-main' }, h('span', { class: 'file-name' }), h('span', { class: 'file-meta muted' })),
      link,
    );
  }

  async function presign(link, file) {
    const answer = await ctx.api.get(
      `api/v1/files/download/${encodePath(file.task_id ?? '')}/${encodePath(file.filename)}`,
      { expire_time: LINK_LIFETIME_S },
    );
    if (answer?.download_url) {
      link.href = answer.download_url;
      link.dataset.fetchedAt = String(Date.now());
    }
  }

  function updateFile(element, file) {
    const name = element.querySelector('.file-name');
    setText(name, file.filename);
    name.title = file.object_key;
    setText(
      element.querySelector('.file-meta'),
      [`task ${file.task_id ?? '?'}`, formatBytes(file.size), file.uploaded_at ? formatAgo(file.uploaded_at, ctx.now()) : null]
        .filter(Boolean)
        .join(' · '),
    );
  }

  return {
    start() {
      draw();
    },
    onFrame,
    tick: render,
  };
}
