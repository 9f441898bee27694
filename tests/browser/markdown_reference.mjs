// Reference renderings for tests/markdown_reference.rs: reads a JSON array of Markdown
// snippets on stdin and prints, for each, markdown-it's HTML with the CommonMark
// CJK-friendly amendments and without them.
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';

const amended = MarkdownIt({ html: false }).use(cjkFriendly);
const original = MarkdownIt({ html: false });

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((md) => [amended.render(md), original.render(md)]);
process.stdout.write(JSON.stringify(out));
