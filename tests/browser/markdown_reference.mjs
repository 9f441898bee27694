// Reference renderings for tests/rules/markdown_reference.rs: reads a JSON array of Markdown
// snippets on stdin and prints, for each, markdown-it's HTML with the CommonMark
// CJK-friendly amendments and the CJK line-break rule, and without them.
import MarkdownIt from 'markdown-it';
import cjkBreaks from 'markdown-it-cjk-breaks';
import cjkFriendly from 'markdown-it-cjk-friendly';

const amended = MarkdownIt({ html: false }).use(cjkFriendly).use(cjkBreaks);
const original = MarkdownIt({ html: false });

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
// markdown-it-cjk-breaks 2.0.0 throws when a break's nearest text is a break it dropped
// already (an empty text token): that snippet has no reference rendering (null).
const render = (md) => {
  try {
    return amended.render(md);
  } catch {
    return null;
  }
};
const out = JSON.parse(input).map((md) => [render(md), original.render(md)]);
process.stdout.write(JSON.stringify(out));
