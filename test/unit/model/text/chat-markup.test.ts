import { describe, expect, it } from 'vitest';
import { detokenize } from '../../../../src/model/text/detokenize.js';
import { tokenize } from '../../../../src/model/text/tokenize.js';

describe('chat markup in tokenize', () => {
  it.each([
    ['Discord user mention', 'hi <@123456789012345678>', ['hi', '<user>']],
    ['Discord nickname mention', 'hi <@!123>', ['hi', '<user>']],
    ['Discord role mention', 'hi <@&1>', ['hi', '<role>']],
    ['Discord channel', 'see <#1>', ['see', '<channel>']],
    ['Discord custom emoji', 'nice <:pepe:123> <a:dance:456>', ['nice', '<emoji>', '<emoji>']],
    ['Discord slash-command mention', 'use </continue:99>', ['use', '<code>']],
    ['Discord timestamp (dropped)', 'at <t:1700000000:R> ok', ['at', 'ok']],
    ['@everyone', 'hey @everyone', ['hey', '<everyone>']],
    ['@here', 'hey @here!', ['hey', '<everyone>', '!']],
    ['@Everyone in any case', '@EveryOne', ['<everyone>']],
    ['Slack user', 'hi <@U1>', ['hi', '<user>']],
    ['Slack user with a label', 'hi <@W123ABC|bob>', ['hi', '<user>']],
    ['Slack <!channel>', '<!channel> look', ['<everyone>', 'look']],
    ['Slack <!here>', '<!here> look', ['<everyone>', 'look']],
    ['Slack <!everyone>', '<!everyone> look', ['<everyone>', 'look']],
    ['Slack <!here|here>', '<!here|here> look', ['<everyone>', 'look']],
    ['Slack user group', 'ask <!subteam^S1|@team>', ['ask', '<role>']],
    ['Slack user group without label', 'ask <!subteam^S1>', ['ask', '<role>']],
    ['Slack channel', 'in <#C123|general>', ['in', '<channel>']],
    ['Slack link with label', 'read <http://a|b>', ['read', '<url>']],
    ['Slack link with a spaced label', 'read <https://a.b/c|the docs page>', ['read', '<url>']],
    ['Slack mailto', '<mailto:a@b.c|mail me>', ['<url>']],
    ['Discord link without embed', 'see <https://example.com/x>', ['see', '<url>']],
    ['bare link, sentence dot left out', 'see https://example.com/a?b=1.', ['see', '<url>', '.']],
    ['www link', 'go to www.example.com now', ['go', 'to', '<url>', 'now']],
    ['link of another scheme', 'use mongodb://localhost:27017/test now', ['use', '<url>', 'now']],
    ['git and file links', 'git+ssh://git@host/a.git or file:///home/a.txt', ['<url>', 'or', '<url>']],
    ['localhost with a port, dot left out', 'at localhost:3000/new/1st.', ['at', '<url>', '.']],
    ['localhost alone is a word', 'on localhost', ['on', 'localhost']],
    [
      'a word joined to a link by a dot',
      'see the docs.https://x.com/a now',
      ['see', 'the', 'docs', '.', '<url>', 'now'],
    ],
    ['e-mail address', 'mail bob.smith+x@example.co.uk', ['mail', '<url>']],
    ['bare domain', 'on reddit.com and twitch.tv/fcc.', ['on', '<url>', 'and', '<url>', '.']],
    ['Markdown link, label kept', 'see [the docs](https://x.y/z) ok', ['see', 'the', 'docs', '<url>', 'ok']],
    ['Markdown image', '![cat](http://x.y/cat.gif)', ['<url>']],
    ['Markdown image inside a link', '[![shot](https://a.b/t.png)](https://a.b/s.png)', ['<url>']],
    ['HTML tags as code', '<h2 class="red">Cats</h2>', ['<code>', 'cats', '<code>']],
    ['HTML anchor, not a custom emoji', '<a href="x">y</a>', ['<code>', 'y', '<code>']],
    ['plain @name mention', '@joepurdy come here', ['<user>', 'come', 'here']],
    ['inline code', 'run `npm test` now', ['run', '<code>', 'now']],
    ['code block', 'look:\n```js\nconst a = 1;\n```\nok', ['look', ':', '<code>', 'ok']],
    ['unclosed code block', 'look ```js\nconst a = <@1>;', ['look', '<code>']],
  ])('normalises %s', (_name, text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});

describe('detokenized text never pings or links', () => {
  const hostile = [
    '<@123> <@!123> <@&1> <#1> @everyone @here @channel',
    '<!channel> <!here> <!everyone> <!subteam^S1|@team> <@U1> <http://a|b>',
    '@ everyone <@ 1 > < @123 > <! here > < ! channel >',
  ];
  const manual = [
    ['<', '@', '123', '>'],
    ['<', '!', 'here', '>'],
    ['@', 'everyone'],
    ['@everyone'],
    ['@here'],
    ['<@123>'],
    ['<!channel>'],
    ['<#1>'],
    ['<http://x.y>'],
    ['(', '<@1>', ')'],
    ['"', '@here', '"'],
    ['<everyone>', '<user>', '<role>', '<channel>', '<url>', '<emoji>', '<code>'],
  ];

  function assertHarmless(text: string): void {
    expect(text).not.toMatch(/<[@!#:/]/);
    expect(text).not.toMatch(/<a:/);
    expect(text).not.toMatch(/<https?:/);
    expect(text).not.toMatch(/@(everyone|here|channel)/i);
  }

  it.each(hostile)('renders the tokens of %j harmlessly', (text) => {
    assertHarmless(detokenize(tokenize(text)));
  });

  it.each(manual.map((tokens) => [tokens.join(' '), tokens]))(
    'renders the token sequence %j harmlessly',
    (_name, tokens) => {
      assertHarmless(detokenize(tokens));
    },
  );

  it('renders every sequence of markup pieces harmlessly', () => {
    const pieces = ['<', '>', '@', '!', '#', 'everyone', 'here', '123', ':', 'a', '&', '<everyone>', '(', '"', '/'];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) assertHarmless(detokenize([a, b, c]));
  });
});
