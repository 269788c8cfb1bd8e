import { isWordToken, tokenize } from './tokenize.js';

/** Text the tokenizer reads as the user placeholder (`<user>`), whoever the name was. */
const USER_MENTION = '@user';
/** `name:` or `name,` addressing at the start of a message (after earlier addressing). */
const ADDRESSING = /^(\s*)([^\s:,@<>]{1,80})(\s*[:,])/u;

/**
 * The authors of a channel, so that their names are never learnt as words: a message that starts by
 * addressing an author (`bob: try this`, `bob, thanks`, `ana, bob: hi`) gets the user placeholder in
 * place of each name, as `@bob` already does, and the words of the names are kept out of the
 * channel's vocabulary (`words`). Names are matched ignoring case.
 */
export class ChannelAuthors {
  readonly #names: ReadonlySet<string>;
  /** The word tokens of the authors' names: never added to a channel's vocabulary. */
  readonly words: ReadonlySet<string>;

  constructor(authors: Iterable<string | undefined>) {
    const names = new Set<string>();
    const words = new Set<string>();
    for (const author of authors) {
      const name = author?.trim().toLowerCase();
      if (!name) continue;
      names.add(name);
      for (const token of tokenize(name)) if (isWordToken(token)) words.add(token);
    }
    this.#names = names;
    this.words = words;
  }

  /** `text` with the names that address authors at its start written as the user placeholder. */
  rewrite(text: string): string {
    let done = '';
    let rest = text;
    for (let match = ADDRESSING.exec(rest); match; match = ADDRESSING.exec(rest)) {
      const [whole, space, name, punctuation] = match as unknown as [string, string, string, string];
      if (!this.#names.has(name.toLowerCase())) break;
      done += `${space}${USER_MENTION}${punctuation}`;
      rest = rest.slice(whole.length);
    }
    return done + rest;
  }
}
