// Conversations, kept in this browser's localStorage under a key per gateway (its context path), so two
// gateways on one host keep separate histories. Export and import use the same JSON shape.

export const FORMAT = 'llm-gateway-chat';
const VERSION = 1;
export const DEFAULT_TITLE = 'New chat';

export function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Store {
  constructor(namespace) {
    this.key = `llm-gateway-chat:${namespace}`;
    this.conversations = [];
    this.currentId = null;
    this.load();
  }

  load() {
    let data = null;
    try {
      data = JSON.parse(localStorage.getItem(this.key) || 'null');
    } catch (e) {
      data = null; // unreadable: start afresh rather than not at all
    }
    this.conversations = data && Array.isArray(data.conversations)
      ? data.conversations.map(normalise).filter(Boolean) : [];
    this.currentId = data && this.get(data.currentId) ? data.currentId : null;
  }

  /** Writes everything; false when the browser refused (storage full). */
  save() {
    try {
      localStorage.setItem(this.key, JSON.stringify({ version: VERSION, currentId: this.currentId,
        conversations: this.conversations }));
      return true;
    } catch (e) {
      return false;
    }
  }

  get(id) {
    return this.conversations.find((c) => c.id === id) || null;
  }

  get current() {
    return this.get(this.currentId);
  }

  /** The current conversation first, then the others, most recently active first. */
  ordered() {
    const others = this.conversations.filter((c) => c.id !== this.currentId)
      .sort((a, b) => b.updatedAt - a.updatedAt);
    const current = this.current;
    return current ? [current, ...others] : others;
  }

  create(settings) {
    const now = Date.now();
    const conversation = { id: newId(), title: DEFAULT_TITLE, titleSource: 'none', createdAt: now, updatedAt: now,
      settings: { ...settings }, messages: [] };
    this.conversations.push(conversation);
    this.currentId = conversation.id;
    return conversation;
  }

  remove(id) {
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.currentId === id) {
      this.currentId = null;
    }
  }

  /** Drops conversations nobody wrote anything in, except the one on screen. */
  pruneEmpty() {
    this.conversations = this.conversations.filter((c) => c.messages.length > 0 || c.id === this.currentId);
  }

  exportJson() {
    return JSON.stringify({ format: FORMAT, version: VERSION, exportedAt: new Date().toISOString(),
      conversations: this.conversations.filter((c) => c.messages.length > 0) }, null, 2);
  }

  /** Adds the conversations of an export; one with a known id replaces ours if it is newer. Returns the count. */
  importJson(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error('This file is not JSON.');
    }
    const list = data && data.format === FORMAT && Array.isArray(data.conversations) ? data.conversations
      : Array.isArray(data) ? data : null;
    if (!list) {
      throw new Error('This file is not a conversation export of this chat page.');
    }
    let count = 0;
    for (const raw of list) {
      const conversation = normalise(raw);
      if (!conversation) {
        continue;
      }
      const existing = this.get(conversation.id);
      if (existing && existing.updatedAt >= conversation.updatedAt) {
        continue;
      }
      this.conversations = this.conversations.filter((c) => c.id !== conversation.id);
      this.conversations.push(conversation);
      count++;
    }
    return count;
  }
}

/** A well-formed conversation from stored or imported data, or null. Unknown fields are dropped. */
function normalise(raw) {
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.messages)) {
    return null;
  }
  const messages = raw.messages
    .filter((m) => m && (m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string')
    .map((m) => {
      const message = { id: typeof m.id === 'string' ? m.id : newId(), role: m.role, content: m.content };
      if (typeof m.model === 'string') message.model = m.model;
      if (typeof m.error === 'string') message.error = m.error;
      if (m.stopped === true) message.stopped = true;
      if (m.pending === true) message.stopped = true; // the page closed while it streamed
      return message;
    });
  const settings = raw.settings && typeof raw.settings === 'object' ? raw.settings : {};
  const now = Date.now();
  return {
    id: typeof raw.id === 'string' && raw.id ? raw.id : newId(),
    title: typeof raw.title === 'string' && raw.title.trim() ? raw.title.trim().slice(0, 200) : DEFAULT_TITLE,
    titleSource: ['none', 'draft', 'words', 'model', 'user'].includes(raw.titleSource) ? raw.titleSource : 'user',
    createdAt: Number.isFinite(raw.createdAt) ? raw.createdAt : now,
    updatedAt: Number.isFinite(raw.updatedAt) ? raw.updatedAt : now,
    settings: {
      model: typeof settings.model === 'string' ? settings.model : '',
      systemPrompt: typeof settings.systemPrompt === 'string' ? settings.systemPrompt : '',
      temperature: clampTemperature(settings.temperature),
    },
    messages,
  };
}

export function clampTemperature(value, fallback = 0.7) {
  const number = Number(value);
  if (!Number.isFinite(number) || value === null || value === '') {
    return fallback;
  }
  return Math.min(2, Math.max(0, Math.round(number * 20) / 20));
}
