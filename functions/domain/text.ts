/**
 * What text the system stores: names and free text are shown to officers, printed on certificates and exported, so
 * characters that are invisible, reorder what is shown or break the encoding are refused, not stored.
 *   - control characters (C0 but tab/line feed/carriage return in free text, DEL, C1), NUL among them;
 *   - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make a record read
 *     differently from what it holds ("Trojan source");
 *   - lone UTF-16 surrogates, which are not characters and cannot be written as UTF-8.
 * Names also refuse `<` and `>`: no Vietnamese (or foreign) name holds them, and markup in a name is an attack.
 * Free text keeps them: the web app renders every stored value as text, never as HTML.
 */
import { type Issue, issue } from './errors.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** True when `s` holds a character refused in stored text; line breaks and tabs count only when `singleLine`. */
export const hasUnsafeCharacters = (s: string, singleLine = false): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (!singleLine && (c === TAB || c === LF || c === CR)) continue;
      return true;
    }
    if (c >= 0x7f && c <= 0x9f) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
};

/** A name: one line, no control characters, no markup. */
export const hasMarkup = (s: string): boolean => s.includes('<') || s.includes('>');

export const TEXT_CONTROL_CHARACTERS = 'text.controlCharacters';
export const TEXT_NAME_CHARACTERS = 'text.nameCharacters';

export const textRuleMessages: Record<string, { vi: string; en: string }> = {
  [TEXT_CONTROL_CHARACTERS]: {
    vi: 'có ký tự điều khiển, ký tự ẩn đổi chiều chữ hoặc ký tự hỏng; hãy gõ lại bằng chữ thường.',
    en: 'holds control characters, invisible direction overrides or broken characters; please type it again as plain text.',
  },
  [TEXT_NAME_CHARACTERS]: {
    vi: 'không được chứa ký tự "<" hoặc ">".',
    en: 'must not contain "<" or ">".',
  },
};

/** The issue for a field whose text holds refused characters (the API's body check and the dossier schema agree). */
export const unsafeTextIssue = (field: string): Issue => {
  const m = textRuleMessages[TEXT_CONTROL_CHARACTERS]!;
  return issue(field, TEXT_CONTROL_CHARACTERS, `Trường "${field}" ${m.vi}`, `Field "${field}" ${m.en}`);
};
