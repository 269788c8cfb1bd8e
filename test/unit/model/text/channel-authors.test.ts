import { describe, expect, it } from 'vitest';
import { ChannelAuthors } from '../../../../src/model/text/channel-authors.js';
import { tokenize } from '../../../../src/model/text/tokenize.js';

const authors = new ChannelAuthors(['Bomholt', 'abhisekp', 'joe-purdy', undefined, '']);

describe('ChannelAuthors', () => {
  it('turns an author addressed at the start with a colon or a comma into the user placeholder', () => {
    expect(tokenize(authors.rewrite('bomholt: try npm install'))).toEqual(['<user>', ':', 'try', 'npm', 'install']);
    expect(tokenize(authors.rewrite('Abhisekp, thanks!'))).toEqual(['<user>', ',', 'thanks', '!']);
    expect(tokenize(authors.rewrite('  joe-purdy:hi'))).toEqual(['<user>', ':', 'hi']);
  });

  it('reads addressing of several authors in a row', () => {
    expect(tokenize(authors.rewrite('bomholt, abhisekp: look'))).toEqual(['<user>', ',', '<user>', ':', 'look']);
  });

  it('leaves other words and names that are not at the start alone', () => {
    expect(authors.rewrite('hello: world')).toBe('hello: world');
    expect(authors.rewrite('thanks bomholt, it works')).toBe('thanks bomholt, it works');
    expect(authors.rewrite('bomholt is here')).toBe('bomholt is here');
  });

  it('gives the word tokens of every name, to keep out of a vocabulary', () => {
    expect([...authors.words].sort()).toEqual(['abhisekp', 'bomholt', 'joe', 'purdy']);
  });
});
