// A short conversation title, asked of the model after the first exchange. Best-effort: until it comes (or
// when it cannot), the first words of the first message stand in.

/** The demo upstream recognises the phrase "short title for the conversation" (demo/DemoScripts.java). */
const INSTRUCTION = 'Write a short title for the conversation below: at most six words, in the language of the '
  + 'conversation, without quotes or final punctuation. Answer with the title only.';
const MAX_LENGTH = 60;
const EXCERPT = 1500;

/** The first words of a text, as a stand-in title. */
export function firstWords(text, count = 6) {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').slice(0, count).join(' ');
  return cut(words) || 'Untitled';
}

/** Asks the model for a title; resolves with it, or rejects (the caller keeps the stand-in). */
export async function modelTitle(gateway, model, question, answer) {
  const request = {
    messages: [
      { role: 'system', content: INSTRUCTION },
      { role: 'user', content: `User: ${question.slice(0, EXCERPT)}\n\nAssistant: ${answer.slice(0, EXCERPT)}` },
    ],
    stream: false,
  };
  if (model) {
    request.model = model;
  }
  const completion = await gateway.json('v1/chat/completions', { method: 'POST', body: request,
    signal: AbortSignal.timeout(30000) });
  const text = completion && completion.choices && completion.choices[0] && completion.choices[0].message
    && completion.choices[0].message.content;
  const title = clean(typeof text === 'string' ? text : '');
  if (!title) {
    throw new Error('no title in the answer');
  }
  return title;
}

function clean(text) {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l) || '';
  return cut(line.replace(/^(title\s*:\s*)/i, '').replace(/^[#*_`"'“”«»\s]+|[*_`"'“”«».!\s]+$/g, ''));
}

function cut(text) {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1).trimEnd()}…` : text;
}
