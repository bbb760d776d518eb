// Model output as Markdown, safely: raw HTML in the answer is shown as text (never parsed), code is
// highlighted by highlight.js (which escapes it), and DOMPurify sanitises the result as a second line of
// defence before it reaches the page. Images become links: the page loads nothing from elsewhere.
import { Marked } from '../webjars/marked/16.1.1/lib/marked.esm.js';
import DOMPurify from '../webjars/dompurify/3.3.1/dist/purify.es.mjs';

/** Longest code block highlight.js guesses the language of; longer ones stay plain (auto-detection is slow). */
const AUTO_DETECT_LIMIT = 4000;

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text, block }) {
      return block ? `<p class="raw-html">${escapeHtml(text)}</p>\n` : escapeHtml(text);
    },
    code({ text, lang }) {
      const language = (lang || '').trim().split(/\s+/)[0].toLowerCase();
      const label = language ? ` data-language="${escapeHtml(language)}"` : '';
      return `<pre${label}><code class="hljs">${highlight(text, language)}</code></pre>\n`;
    },
    image({ href, text }) {
      return `<a href="${escapeHtml(href || '')}">${escapeHtml(text || href || 'image')}</a>`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'iframe'],
  FORBID_ATTR: ['style'],
};

/** Sanitised HTML for a Markdown text (possibly an unfinished one, while it streams). */
export function toSafeHtml(markdown) {
  return DOMPurify.sanitize(marked.parse(markdown), PURIFY);
}

function highlight(code, language) {
  const hljs = window.hljs;
  if (!hljs) {
    return escapeHtml(code);
  }
  try {
    if (language && hljs.getLanguage(language)) {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    }
    if (!language && code.length <= AUTO_DETECT_LIMIT) {
      return hljs.highlightAuto(code).value;
    }
  } catch (e) {
    // highlighting is cosmetic: fall back to the plain text
  }
  return escapeHtml(code);
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
