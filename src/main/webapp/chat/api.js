// Talking to the gateway: relative URLs only (the page works under any context path), the API key prompt on
// 401, OpenAI error bodies turned into readable messages, and chat completions streamed over SSE.

/** A call the gateway (or the network) refused; `message` is the gateway's own words where it gave some. */
export class GatewayError extends Error {
  constructor(message, status = null) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
  }
}

export class Gateway {
  /**
   * @param namespace   distinguishes gateways sharing one origin (their context paths)
   * @param askForKey   async (message, rejected) => key or null when the user gives up
   */
  constructor(namespace, askForKey) {
    this.keyName = `llm-gateway-key:${namespace}`;
    this.askForKey = askForKey;
    this.pendingKey = null;
  }

  get key() {
    return sessionStorage.getItem(this.keyName);
  }

  /** GET or POST returning parsed JSON; throws GatewayError. */
  async json(path, { method = 'GET', body, signal } = {}) {
    const response = await this.fetch(path, { method, body: body === undefined ? undefined : JSON.stringify(body), signal });
    try {
      return await response.json();
    } catch (e) {
      throw new GatewayError(`The gateway answered ${path} with something that is not JSON.`, response.status);
    }
  }

  /**
   * Streams a chat completion: calls onDelta(text, model) for every piece of answer text as it arrives.
   * Resolves with { model, finishReason } at [DONE]; rejects with GatewayError for errors (also those sent
   * inside the stream) and with the AbortError of `signal` when stopped.
   */
  async stream(request, { signal, onDelta }) {
    const response = await this.fetch('v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ ...request, stream: true }),
      signal,
      accept: 'text/event-stream',
    });
    let model = null;
    let finishReason = null;
    for await (const data of serverSentData(response.body)) {
      if (data === '[DONE]') {
        return { model, finishReason };
      }
      let chunk;
      try {
        chunk = JSON.parse(data);
      } catch (e) {
        continue; // not JSON: nothing a chat page can show
      }
      if (chunk.error) {
        throw new GatewayError(errorText(chunk));
      }
      model = chunk.model || model;
      const choice = chunk.choices && chunk.choices[0];
      if (choice) {
        finishReason = choice.finish_reason || finishReason;
        const text = choice.delta && choice.delta.content;
        if (text) {
          onDelta(text, model);
        }
      }
    }
    throw new GatewayError('The answer broke off: the stream ended before it was complete.');
  }

  /** fetch with the API key; a 401 asks for a key (once for concurrent calls) and tries again with it. */
  async fetch(path, { method = 'GET', body, signal, accept = 'application/json' } = {}) {
    for (;;) {
      const headers = { Accept: accept };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      const key = this.key;
      if (key) {
        headers.Authorization = `Bearer ${key}`;
      }
      let response;
      try {
        response = await fetch(path, { method, headers, body, signal, cache: 'no-store' });
      } catch (e) {
        if (e.name === 'AbortError') {
          throw e;
        }
        throw new GatewayError(`The gateway could not be reached (${e.message}).`);
      }
      if (response.ok) {
        return response;
      }
      const message = await errorOf(response);
      if (response.status !== 401) {
        throw new GatewayError(message, response.status);
      }
      if (key) {
        this.forgetKey(); // rejected: a reload must not send it again
      }
      if (!(await this.promptOnce(message, Boolean(key)))) {
        throw new GatewayError(message, 401);
      }
    }
  }

  forgetKey() {
    sessionStorage.removeItem(this.keyName);
  }

  /** Asks for a key, or waits for the question already on screen; the key entered, or null. */
  promptOnce(message, rejected) {
    if (!this.pendingKey) {
      this.pendingKey = (async () => {
        try {
          const key = await this.askForKey(message, rejected);
          if (key) {
            sessionStorage.setItem(this.keyName, key);
          }
          return key;
        } finally {
          this.pendingKey = null;
        }
      })();
    }
    return this.pendingKey;
  }
}

/** The message of an OpenAI or Anthropic error body, or the HTTP status when there is none. */
async function errorOf(response) {
  let text = '';
  try {
    text = await response.text();
    return `${errorText(JSON.parse(text))} (HTTP ${response.status})`;
  } catch (e) {
    const detail = text.trim().slice(0, 300);
    return `The gateway answered HTTP ${response.status}${detail ? `: ${detail}` : ` ${response.statusText}`}`;
  }
}

function errorText(body) {
  const error = body && body.error;
  if (error && typeof error.message === 'string') {
    return error.message;
  }
  if (typeof error === 'string') {
    return error;
  }
  throw new Error('no error message');
}

/**
 * The data of each server-sent event: lines split on CR, LF or CRLF only (U+2028 inside JSON is data), a blank
 * line ends an event, multi-line data is joined with \n, comments and other fields are skipped.
 */
export async function* serverSentData(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.search(/[\r\n]/)) >= 0) {
        if (buffer[end] === '\r' && end === buffer.length - 1) {
          break; // a CR at the end may be half of a CRLF: wait for the next piece
        }
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            yield data.join('\n');
            data = [];
          }
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
    }
    if (data.length > 0) {
      yield data.join('\n');
    }
  } finally {
    if (!ended) {
      reader.cancel().catch(() => {}); // the reader left early (an error, [DONE]): close the connection
    }
  }
}
