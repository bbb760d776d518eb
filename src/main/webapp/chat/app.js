// The chat page: conversations kept in this browser, answers streamed from the gateway's
// /v1/chat/completions. Every URL is relative, so the page works at / and under any context path.
import { Gateway, GatewayError } from './api.js';
import { clampTemperature, DEFAULT_TITLE, newId, Store } from './store.js';
import { toSafeHtml } from './markdown.js';
import { firstWords, modelTitle } from './title.js';
import { decorate, icon } from './icons.js';

/** What a new conversation starts with when the gateway cannot tell (its own defaults, see GatewayConfig). */
const FALLBACK_DEFAULTS = { system_prompt: 'You are a helpful assistant.', temperature: 0.7, model: null };
const HEALTH_EVERY_MS = 30000;
const RENDER_EVERY_MS = 40;
/** How often a streaming answer is written to storage, so a reload mid-answer keeps most of it. */
const SAVE_EVERY_MS = 1000;
const PHONE = window.matchMedia('(max-width: 760px)');

/** The context path (e.g. /llm-gateway/): keys the stored data, so gateways on one host stay apart. */
const namespace = new URL('.', window.location.href).pathname;
const byId = (id) => document.getElementById(id);
const ui = {
  app: byId('app'),
  conversations: byId('conversations'),
  newChat: byId('new-chat'),
  exportButton: byId('export'),
  importButton: byId('import'),
  importFile: byId('import-file'),
  modeBadge: byId('mode-badge'),
  modePill: byId('mode-pill'),
  tokenStatus: byId('token-status'),
  gatewayStatus: byId('gateway-status'),
  openSidebar: byId('open-sidebar'),
  closeSidebar: byId('close-sidebar'),
  backdrop: byId('backdrop'),
  title: byId('chat-title'),
  model: byId('model'),
  refreshModels: byId('refresh-models'),
  toggleSettings: byId('toggle-settings'),
  settings: byId('settings'),
  systemPrompt: byId('system-prompt'),
  temperature: byId('temperature'),
  temperatureValue: byId('temperature-value'),
  demoBanner: byId('demo-banner'),
  messages: byId('messages'),
  composer: byId('composer'),
  prompt: byId('prompt'),
  send: byId('send'),
  stop: byId('stop'),
  keyDialog: byId('key-dialog'),
  keyForm: byId('key-form'),
  keyMessage: byId('key-message'),
  keyInput: byId('key-input'),
  keyCancel: byId('key-cancel'),
  toast: byId('toast'),
};

const store = new Store(namespace);
const gateway = new Gateway(namespace, askForKey);
const prefsKey = `llm-gateway-chat-prefs:${namespace}`;
const state = {
  defaults: { ...FALLBACK_DEFAULTS },
  models: [],
  /** The model list could not be loaded (e.g. no key yet): tried again after the next good answer. */
  modelsFailed: false,
  mode: null,
  /** The answer being streamed: { conversation, message, controller }; one at a time. */
  streaming: null,
  editing: null,
  renaming: null,
  confirmingDelete: null,
  renderTimer: null,
};

start();

async function start() {
  decorateStaticButtons();
  bindEvents();
  refreshHealth();
  window.setInterval(refreshHealth, HEALTH_EVERY_MS);
  store.pruneEmpty();
  render();
  await Promise.all([loadDefaults(), loadModels(false)]);
  const conversation = store.current;
  if (!conversation) {
    newConversation();
  } else if (!conversation.settings.model) {
    conversation.settings.model = modelForNewConversation();
  }
  save();
  render();
  ui.app.dataset.ready = 'true';
  if (!PHONE.matches) {
    ui.prompt.focus();
  }
}

// ---- gateway calls -------------------------------------------------------------------------------------

async function loadDefaults() {
  try {
    const defaults = await gateway.json('v1/gateway/chat-defaults');
    state.defaults = { ...FALLBACK_DEFAULTS, ...defaults };
  } catch (e) {
    state.defaults = { ...FALLBACK_DEFAULTS };
  }
}

async function loadModels(refresh) {
  try {
    const list = await gateway.json(refresh ? 'v1/models?refresh=true' : 'v1/models');
    state.models = (Array.isArray(list.data) ? list.data : []).map((m) => m && m.id).filter((id) => typeof id === 'string');
    const conversation = currentConversation();
    if (conversation && !conversation.settings.model) {
      conversation.settings.model = modelForNewConversation();
      save();
    }
    state.modelsFailed = false;
    if (refresh) {
      toast(`${state.models.length} model${state.models.length === 1 ? '' : 's'} available`);
    }
  } catch (e) {
    state.modelsFailed = true;
    toast(`Models could not be listed: ${e.message}`, 'error');
  }
  renderHeader();
}

async function refreshHealth() {
  try {
    const response = await fetch('health', { cache: 'no-store', headers: { Accept: 'application/json' } });
    showHealth(await response.json());
  } catch (e) {
    showHealth(null);
  }
}

function showHealth(health) {
  const mode = health && health.mode;
  state.mode = mode || null;
  const label = mode === 'demo' ? 'Demo' : mode === 'live' ? 'Live' : 'Offline';
  for (const badge of [ui.modeBadge, ui.modePill]) {
    badge.textContent = label;
    badge.dataset.mode = mode || 'unknown';
    badge.title = mode === 'demo' ? health.notice || 'Answers are simulated' : mode === 'live'
      ? 'Answers come from the configured upstream model' : 'The gateway did not answer /health';
  }
  ui.modePill.hidden = false;
  ui.demoBanner.hidden = mode !== 'demo';
  let text;
  let level;
  if (!health) {
    text = 'gateway unreachable';
    level = 'bad';
  } else if (health.auth === 'static_key') {
    text = 'static upstream key';
    level = 'good';
  } else if (health.token && health.token.ready) {
    // no token held yet (before the first call) reads as expired, yet one is fetched on demand
    text = health.token.expires_at ? `token ${health.token.state}` : 'token fetched on first use';
    level = health.token.state === 'fresh' || !health.token.expires_at ? 'good' : 'warn';
  } else {
    text = 'no valid token';
    level = 'bad';
  }
  ui.tokenStatus.textContent = text;
  ui.gatewayStatus.dataset.level = level;
  const details = [];
  if (health && health.token && health.token.last_error) {
    details.push(health.token.last_error);
  }
  if (health && Array.isArray(health.warnings)) {
    details.push(...health.warnings);
  }
  ui.gatewayStatus.title = details.join('\n') || (health ? `gateway ${health.status}` : '');
  if (state.streaming === null && currentConversation() && currentConversation().messages.length === 0) {
    renderMessages(); // the empty state mentions the demo's tricks
  }
}

// ---- conversations -------------------------------------------------------------------------------------

function currentConversation() {
  return store.current;
}

function modelForNewConversation() {
  const last = readPrefs().lastModel;
  if (last && state.models.includes(last)) {
    return last;
  }
  if (state.defaults.model && (state.models.length === 0 || state.models.includes(state.defaults.model))) {
    return state.defaults.model;
  }
  return state.models[0] || '';
}

function newConversation() {
  const current = currentConversation();
  if (current && current.messages.length === 0) {
    closeSidebarOnPhone();
    ui.prompt.focus();
    return current; // already a fresh one
  }
  const conversation = store.create({
    model: modelForNewConversation(),
    systemPrompt: typeof state.defaults.system_prompt === 'string' ? state.defaults.system_prompt : '',
    temperature: clampTemperature(state.defaults.temperature),
  });
  store.pruneEmpty();
  state.editing = null;
  save();
  render();
  closeSidebarOnPhone();
  ui.prompt.focus();
  return conversation;
}

function switchTo(id) {
  if (id === store.currentId) {
    closeSidebarOnPhone();
    return;
  }
  store.currentId = id;
  store.pruneEmpty();
  state.editing = null;
  save();
  render();
  closeSidebarOnPhone();
}

function deleteConversation(id) {
  if (state.streaming && state.streaming.conversation.id === id) {
    state.streaming.controller.abort();
  }
  store.remove(id);
  state.confirmingDelete = null;
  if (!store.current) {
    const next = store.ordered()[0];
    if (next) {
      store.currentId = next.id;
    } else {
      store.create({ model: modelForNewConversation(), systemPrompt: state.defaults.system_prompt || '',
        temperature: clampTemperature(state.defaults.temperature) });
    }
  }
  save();
  render();
}

function rename(id, title) {
  const conversation = store.get(id);
  state.renaming = null;
  if (conversation && title.trim()) {
    conversation.title = title.trim().slice(0, 200);
    conversation.titleSource = 'user';
    save();
  }
  render();
}

function touch(conversation) {
  conversation.updatedAt = Date.now();
}

function save() {
  if (!store.save()) {
    toast('This browser refused to store more: export and delete old conversations to make room.', 'error');
  }
}

function readPrefs() {
  try {
    return JSON.parse(localStorage.getItem(prefsKey) || '{}') || {};
  } catch (e) {
    return {};
  }
}

function writePrefs(prefs) {
  try {
    localStorage.setItem(prefsKey, JSON.stringify({ ...readPrefs(), ...prefs }));
  } catch (e) {
    // preferences are a convenience
  }
}

// ---- chatting ------------------------------------------------------------------------------------------

function send() {
  const text = ui.prompt.value;
  if (!text.trim() || state.streaming) {
    return;
  }
  const conversation = currentConversation() || newConversation();
  conversation.messages.push({ id: newId(), role: 'user', content: text });
  ui.prompt.value = '';
  autosize(ui.prompt);
  generate(conversation);
}

/** The messages sent upstream: the system prompt as a real system message, then the conversation. */
function requestMessages(conversation) {
  const messages = [];
  if (conversation.settings.systemPrompt.trim()) {
    messages.push({ role: 'system', content: conversation.settings.systemPrompt });
  }
  for (const message of conversation.messages) {
    if (message.role === 'assistant' && !message.content) {
      continue; // an answer that failed before its first word
    }
    messages.push({ role: message.role, content: message.content });
  }
  return messages;
}

async function generate(conversation) {
  const request = { messages: requestMessages(conversation), temperature: conversation.settings.temperature };
  if (conversation.settings.model) {
    request.model = conversation.settings.model;
  }
  const message = { id: newId(), role: 'assistant', content: '', model: conversation.settings.model, pending: true };
  conversation.messages.push(message);
  const controller = new AbortController();
  state.streaming = { conversation, message, controller };
  touch(conversation);
  save();
  render();
  scrollToBottom();
  let savedAt = Date.now();
  try {
    const result = await gateway.stream(request, {
      signal: controller.signal,
      onDelta(text, model) {
        message.content += text;
        message.model = model || message.model;
        scheduleRender();
        if (Date.now() - savedAt >= SAVE_EVERY_MS) {
          savedAt = Date.now();
          save();
        }
      },
    });
    message.model = result.model || message.model;
    if (result.finishReason === 'length') {
      message.error = 'The answer reached the token limit and was cut.';
    }
  } catch (e) {
    if (controller.signal.aborted) {
      message.stopped = true;
    } else {
      message.error = e instanceof GatewayError ? e.message : `Something went wrong: ${e.message}`;
    }
  } finally {
    delete message.pending;
    state.streaming = null;
    touch(conversation);
    save();
    render();
    refreshHealth(); // the call may have refreshed the token, or shown the gateway unwell
  }
  if (!message.error && !message.stopped && message.content) {
    if (state.modelsFailed) {
      loadModels(false);
    }
    nameConversation(conversation);
  } else if (conversation.titleSource === 'none') {
    // no answer to name it by yet: the first words will do until one comes
    conversation.title = firstWords(conversation.messages.find((m) => m.role === 'user').content);
    conversation.titleSource = 'draft';
    save();
    renderTitles();
  }
}

function stop() {
  if (state.streaming) {
    state.streaming.controller.abort();
  }
}

function regenerate(conversation) {
  const last = conversation.messages[conversation.messages.length - 1];
  if (state.streaming || !last || last.role !== 'assistant') {
    return;
  }
  conversation.messages.pop();
  generate(conversation);
}

function resendEdited(conversation, message, text) {
  if (state.streaming || !text.trim()) {
    return;
  }
  const index = conversation.messages.indexOf(message);
  if (index < 0) {
    return;
  }
  conversation.messages = conversation.messages.slice(0, index);
  conversation.messages.push({ id: newId(), role: 'user', content: text });
  state.editing = null;
  generate(conversation);
}

/** After the first good exchange: the first words at once, then the model's own title when it comes. */
async function nameConversation(conversation) {
  if (conversation.titleSource !== 'none' && conversation.titleSource !== 'draft') {
    return;
  }
  const question = conversation.messages.find((m) => m.role === 'user');
  const answer = conversation.messages.find((m) => m.role === 'assistant' && m.content && !m.error);
  if (!question || !answer) {
    return;
  }
  conversation.title = firstWords(question.content);
  conversation.titleSource = 'words';
  save();
  renderTitles();
  try {
    const title = await modelTitle(gateway, conversation.settings.model, question.content, answer.content);
    if (conversation.titleSource === 'words' && store.get(conversation.id)) {
      conversation.title = title;
      conversation.titleSource = 'model';
      save();
      renderTitles();
    }
  } catch (e) {
    // best-effort: the first words stay
  }
}

// ---- rendering -----------------------------------------------------------------------------------------

function render() {
  renderSidebar();
  renderHeader();
  renderSettings();
  renderMessages();
  renderComposer();
}

function renderSidebar() {
  const items = store.ordered().map((conversation) => {
    const item = document.createElement('li');
    item.className = 'conversation';
    item.dataset.id = conversation.id;
    item.classList.toggle('current', conversation.id === store.currentId);
    item.classList.toggle('streaming', Boolean(state.streaming && state.streaming.conversation === conversation));
    if (state.renaming && state.renaming.id === conversation.id) {
      const input = document.createElement('input');
      input.className = 'rename-input';
      input.value = state.renaming.draft;
      input.addEventListener('input', () => {
        state.renaming.draft = input.value;
      });
      input.setAttribute('aria-label', 'New title');
      input.maxLength = 200;
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          rename(conversation.id, input.value);
        } else if (event.key === 'Escape') {
          state.renaming = null;
          renderSidebar();
        }
      });
      input.addEventListener('blur', () => {
        if (state.renaming && state.renaming.id === conversation.id) {
          rename(conversation.id, input.value);
        }
      });
      item.append(input);
      window.setTimeout(() => {
        input.focus();
        if (state.renaming && !state.renaming.selected) {
          input.select(); // once: a later re-render must not select what is being typed
          state.renaming.selected = true;
        }
      });
    } else if (state.confirmingDelete === conversation.id) {
      item.classList.add('confirming');
      const question = document.createElement('span');
      question.className = 'confirm-text';
      question.textContent = 'Delete this conversation?';
      item.append(question,
        button('confirm-delete danger', 'Delete', () => deleteConversation(conversation.id)),
        button('cancel-delete', 'Keep', () => {
          state.confirmingDelete = null;
          renderSidebar();
        }));
    } else {
      const open = button('open', '', () => switchTo(conversation.id));
      const title = document.createElement('span');
      title.className = 'title';
      title.textContent = conversation.title;
      open.title = conversation.title;
      open.append(title);
      const actions = document.createElement('span');
      actions.className = 'item-actions';
      actions.append(
        iconButton('rename', 'edit', 'Rename', () => {
          state.renaming = { id: conversation.id, draft: conversation.title };
          state.confirmingDelete = null;
          renderSidebar();
        }),
        iconButton('delete', 'trash', 'Delete', () => {
          state.confirmingDelete = conversation.id;
          state.renaming = null;
          renderSidebar();
        }));
      item.append(open, actions);
    }
    return item;
  });
  ui.conversations.replaceChildren(...items);
}

/** The conversation list and the heading: what a new title changes. */
function renderTitles() {
  renderSidebar();
  const conversation = currentConversation();
  ui.title.textContent = conversation ? conversation.title : DEFAULT_TITLE;
  document.title = `${conversation ? conversation.title : DEFAULT_TITLE} · LLM OAuth Gateway`;
}

function renderHeader() {
  const conversation = currentConversation();
  ui.title.textContent = conversation ? conversation.title : DEFAULT_TITLE;
  document.title = `${conversation ? conversation.title : DEFAULT_TITLE} · LLM OAuth Gateway`;
  const chosen = conversation ? conversation.settings.model : '';
  const ids = [...state.models];
  const options = ids.map((id) => option(id, id));
  if (chosen && !ids.includes(chosen)) {
    options.unshift(option(chosen, state.models.length ? `${chosen} (not listed)` : chosen));
  }
  if (!chosen && ids.length === 0) {
    options.unshift(option('', 'default model'));
  }
  ui.model.replaceChildren(...options);
  ui.model.value = chosen;
}

function renderSettings() {
  const conversation = currentConversation();
  if (!conversation) {
    return;
  }
  if (document.activeElement !== ui.systemPrompt) {
    ui.systemPrompt.value = conversation.settings.systemPrompt;
  }
  ui.temperature.value = String(conversation.settings.temperature);
  ui.temperatureValue.textContent = conversation.settings.temperature.toFixed(2);
}

function renderMessages() {
  const conversation = currentConversation();
  if (!conversation || conversation.messages.length === 0) {
    ui.messages.replaceChildren(emptyState());
    return;
  }
  const last = conversation.messages[conversation.messages.length - 1];
  ui.messages.replaceChildren(...conversation.messages.map((message) => messageElement(conversation, message,
    message === last)));
}

function renderComposer() {
  const streaming = Boolean(state.streaming);
  ui.send.hidden = streaming;
  ui.stop.hidden = !streaming;
  ui.composer.dataset.streaming = String(streaming);
  ui.messages.setAttribute('aria-busy', String(streaming)); // screen readers wait for the whole answer
}

function emptyState() {
  const box = document.createElement('div');
  box.className = 'empty';
  const heading = document.createElement('h2');
  heading.textContent = 'What can I help with?';
  const hint = document.createElement('p');
  hint.textContent = 'Answers stream in as they are written. Enter sends, Shift+Enter starts a new line; '
    + 'the model, system prompt and temperature are in the bar above.';
  box.append(heading, hint);
  if (state.mode === 'demo') {
    const demo = document.createElement('p');
    demo.className = 'demo-tips';
    demo.textContent = 'The demo model echoes what you write. Include demo:long for a long answer you can stop, '
      + 'or demo:markup for an answer full of HTML that the page shows as text.';
    box.append(demo);
  }
  return box;
}

function messageElement(conversation, message, isLast) {
  const article = document.createElement('article');
  article.className = `message ${message.role}`;
  article.dataset.id = message.id;
  const actions = document.createElement('div');
  actions.className = 'actions';
  if (message.role === 'user') {
    if (state.editing && state.editing.id === message.id) {
      article.classList.add('editing');
      article.append(editBox(conversation, message));
      return article;
    }
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    const content = document.createElement('div');
    content.className = 'content';
    content.textContent = message.content; // the user's own words, never parsed as markup
    bubble.append(content);
    actions.append(
      iconButton('edit-message', 'edit', 'Edit and resend', () => {
        state.editing = { id: message.id, draft: message.content };
        renderMessages();
      }, Boolean(state.streaming)),
      iconButton('copy-message', 'copy', 'Copy', (event) => copyText(message.content, event.currentTarget)));
    article.append(bubble, actions);
    return article;
  }
  article.dataset.state = message.pending ? 'streaming' : message.error ? 'error' : message.stopped ? 'stopped' : 'done';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const model = document.createElement('span');
  model.className = 'model';
  model.textContent = message.model || 'default model';
  meta.append(model);
  if (message.stopped) {
    meta.append(tag('stopped', 'stopped'));
  }
  const content = document.createElement('div');
  content.className = 'content markdown';
  if (message.content) {
    content.innerHTML = toSafeHtml(message.content); // marked output, HTML escaped and sanitised
    decorateCodeBlocks(content);
  } else if (message.pending) {
    content.append(typingDots());
  }
  article.append(meta, content);
  if (message.error) {
    const error = document.createElement('div');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    error.textContent = message.error;
    article.append(error);
  }
  if (!message.pending) {
    if (message.content) {
      actions.append(iconButton('copy-answer', 'copy', 'Copy answer',
        (event) => copyText(message.content, event.currentTarget), false, 'Copy'));
    }
    if (isLast) {
      actions.append(iconButton('regenerate', 'refresh', message.error ? 'Try again' : 'Regenerate',
        () => regenerate(conversation), Boolean(state.streaming), message.error ? 'Try again' : 'Regenerate'));
    }
    article.append(actions);
  }
  return article;
}

function editBox(conversation, message) {
  const box = document.createElement('div');
  box.className = 'edit-box';
  const input = document.createElement('textarea');
  input.className = 'edit-input';
  input.value = state.editing.draft;
  input.setAttribute('aria-label', 'Edit message');
  const note = document.createElement('p');
  note.className = 'edit-note';
  note.textContent = 'Sending replaces this message and everything after it.';
  const buttons = document.createElement('div');
  buttons.className = 'edit-buttons';
  const cancel = () => {
    state.editing = null;
    renderMessages();
  };
  buttons.append(button('cancel-edit ghost', 'Cancel', cancel),
    button('save-edit primary', 'Send', () => resendEdited(conversation, message, input.value)));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      resendEdited(conversation, message, input.value);
    } else if (event.key === 'Escape') {
      cancel();
    }
  });
  input.addEventListener('input', () => {
    state.editing.draft = input.value;
    autosize(input);
  });
  box.append(input, note, buttons);
  window.setTimeout(() => {
    autosize(input);
    input.focus();
  });
  return box;
}

/** Each code block gets a bar with its language and a copy button. */
function decorateCodeBlocks(root) {
  for (const pre of root.querySelectorAll('pre')) {
    const block = document.createElement('div');
    block.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const language = document.createElement('span');
    language.className = 'code-language';
    language.textContent = pre.dataset.language || 'code';
    const code = pre.querySelector('code');
    bar.append(language, iconButton('copy-code', 'copy', 'Copy code',
      (event) => copyText(code ? code.textContent : pre.textContent, event.currentTarget), false, 'Copy'));
    pre.replaceWith(block);
    block.append(bar, pre);
  }
}

/** Re-renders the streaming answer, at most every RENDER_EVERY_MS. */
function scheduleRender() {
  if (state.renderTimer !== null) {
    return;
  }
  state.renderTimer = window.setTimeout(() => {
    state.renderTimer = null;
    const streaming = state.streaming;
    if (!streaming || streaming.conversation !== currentConversation()) {
      return;
    }
    const old = ui.messages.querySelector(`[data-id="${streaming.message.id}"]`);
    if (old) {
      const stick = nearBottom();
      old.replaceWith(messageElement(streaming.conversation, streaming.message, true));
      if (stick) {
        scrollToBottom();
      }
    }
  }, RENDER_EVERY_MS);
}

function nearBottom() {
  const box = ui.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToBottom() {
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

// ---- small pieces --------------------------------------------------------------------------------------

function button(className, label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `button ${className}`;
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

function iconButton(className, iconName, label, onClick, disabled = false, text = '') {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `icon-button ${className}`;
  element.title = label;
  element.setAttribute('aria-label', label);
  element.disabled = disabled;
  decorate(element, iconName, text);
  element.addEventListener('click', onClick);
  return element;
}

function option(value, label) {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = label;
  return element;
}

function tag(className, text) {
  const element = document.createElement('span');
  element.className = `tag ${className}`;
  element.textContent = text;
  return element;
}

function typingDots() {
  const dots = document.createElement('span');
  dots.className = 'typing';
  dots.setAttribute('aria-label', 'The model is answering');
  dots.append(document.createElement('i'), document.createElement('i'), document.createElement('i'));
  return dots;
}

async function copyText(text, target) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch (e) {
    // plain http on an intranet host is not a secure context: no Clipboard API there
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    copied = document.execCommand('copy');
    area.remove();
  }
  if (target && target.isConnected) {
    const label = target.querySelector('span');
    const before = label ? label.textContent : null;
    target.replaceChildren(icon('check'));
    if (label) {
      const done = document.createElement('span');
      done.textContent = copied ? 'Copied' : 'Copy failed';
      target.append(done);
    }
    target.classList.add('copied');
    window.setTimeout(() => {
      target.classList.remove('copied');
      target.replaceChildren(icon('copy'));
      if (before !== null) {
        const again = document.createElement('span');
        again.textContent = before;
        target.append(again);
      }
    }, 1500);
  }
}

function autosize(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight, 240)}px`;
}

let toastTimer = null;
function toast(text, kind = 'info') {
  ui.toast.textContent = text;
  ui.toast.dataset.kind = kind;
  ui.toast.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    ui.toast.hidden = true;
  }, kind === 'error' ? 6000 : 3000);
}

function closeSidebarOnPhone() {
  ui.app.classList.remove('sidebar-open');
}

/** Asks for the gateway's API key in a dialog; resolves with it, or null when the user cancels. */
function askForKey(message, rejected) {
  return new Promise((resolve) => {
    ui.keyMessage.textContent = rejected ? `The key was refused: ${message}` : message;
    ui.keyInput.value = '';
    const finish = (key) => {
      ui.keyForm.removeEventListener('submit', onSubmit);
      ui.keyCancel.removeEventListener('click', onCancel);
      ui.keyDialog.removeEventListener('cancel', onCancel);
      if (ui.keyDialog.open) {
        ui.keyDialog.close();
      }
      resolve(key);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const key = ui.keyInput.value.trim();
      if (key) {
        finish(key);
      }
    };
    const onCancel = (event) => {
      event.preventDefault();
      finish(null);
    };
    ui.keyForm.addEventListener('submit', onSubmit);
    ui.keyCancel.addEventListener('click', onCancel);
    ui.keyDialog.addEventListener('cancel', onCancel);
    ui.keyDialog.showModal();
    ui.keyInput.focus();
  });
}

function exportConversations() {
  const blob = new Blob([store.exportJson()], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `llm-gateway-chats-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

async function importConversations(file) {
  try {
    const count = store.importJson(await file.text());
    save();
    render();
    toast(`Imported ${count} conversation${count === 1 ? '' : 's'}`);
  } catch (e) {
    toast(`Import failed: ${e.message}`, 'error');
  }
}

function decorateStaticButtons() {
  decorate(ui.newChat, 'plus', 'New chat');
  decorate(ui.exportButton, 'download', 'Export');
  decorate(ui.importButton, 'upload', 'Import');
  decorate(ui.openSidebar, 'menu');
  decorate(ui.closeSidebar, 'close');
  decorate(ui.refreshModels, 'refresh');
  decorate(ui.toggleSettings, 'sliders');
  decorate(ui.send, 'send');
  decorate(ui.stop, 'stop');
}

function bindEvents() {
  ui.newChat.addEventListener('click', () => newConversation());
  ui.exportButton.addEventListener('click', exportConversations);
  ui.importButton.addEventListener('click', () => ui.importFile.click());
  ui.importFile.addEventListener('change', () => {
    const [file] = ui.importFile.files;
    if (file) {
      importConversations(file);
    }
    ui.importFile.value = '';
  });
  ui.openSidebar.addEventListener('click', () => ui.app.classList.add('sidebar-open'));
  ui.closeSidebar.addEventListener('click', closeSidebarOnPhone);
  ui.backdrop.addEventListener('click', closeSidebarOnPhone);
  ui.model.addEventListener('change', () => {
    const conversation = currentConversation();
    if (conversation) {
      conversation.settings.model = ui.model.value;
      writePrefs({ lastModel: ui.model.value });
      save();
    }
  });
  ui.refreshModels.addEventListener('click', async () => {
    ui.refreshModels.classList.add('spinning');
    await loadModels(true);
    ui.refreshModels.classList.remove('spinning');
  });
  ui.toggleSettings.addEventListener('click', () => {
    ui.settings.hidden = !ui.settings.hidden;
    ui.toggleSettings.setAttribute('aria-expanded', String(!ui.settings.hidden));
  });
  ui.systemPrompt.addEventListener('input', () => {
    const conversation = currentConversation();
    if (conversation) {
      conversation.settings.systemPrompt = ui.systemPrompt.value;
      save();
    }
  });
  ui.temperature.addEventListener('input', () => {
    const conversation = currentConversation();
    if (conversation) {
      conversation.settings.temperature = clampTemperature(ui.temperature.value);
      ui.temperatureValue.textContent = conversation.settings.temperature.toFixed(2);
      save();
    }
  });
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  ui.prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  ui.prompt.addEventListener('input', () => autosize(ui.prompt));
  ui.stop.addEventListener('click', stop);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.streaming && !ui.keyDialog.open) {
      stop();
    }
  });
  window.addEventListener('storage', (event) => {
    // another tab of this page changed the conversations
    if (event.key === store.key && !state.streaming && state.editing === null && state.renaming === null) {
      store.load();
      render();
    }
  });
}
