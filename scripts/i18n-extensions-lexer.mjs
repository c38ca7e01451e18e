// i18next-parser lexer for console-extensions.json: the console translates every string of the form
// `%plugin__<name>~<key>%` in extension properties, so those keys must be in the locale files too.
import { EventEmitter } from 'node:events';

const REFERENCE = /^%([^~%]+~[^%]+)%$/;

function collect(value, keys) {
  if (typeof value === 'string') {
    const match = REFERENCE.exec(value);
    if (match) keys.push({ key: match[1] });
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, keys);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collect(item, keys);
  }
}

export default class ConsoleExtensionsLexer extends EventEmitter {
  extract(content, filename) {
    const keys = [];
    try {
      collect(JSON.parse(content), keys);
    } catch (error) {
      this.emit('warning', `${filename}: not valid JSON (${error.message})`);
    }
    return keys;
  }
}
