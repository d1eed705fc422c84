// Fixture for js.eval-of-decoded-buffer (written for provscan; not from any project).
const vm = require('vm');
const payload = process.env.npm_package_description || '';

// ruleid: js.eval-of-decoded-buffer
eval(Buffer.from(payload, 'hex').toString());

// ruleid: js.eval-of-decoded-buffer
const fn = new Function(Buffer.from(payload, 'base64').toString('utf8'));

// ruleid: js.eval-of-decoded-buffer
vm.runInThisContext(Buffer.from(payload, "base64") + '');

function load(m, file) {
  // ruleid: js.eval-of-decoded-buffer
  m._compile(
    Buffer.from(payload, 'hex').toString(),
    file);
}

// ok: js.eval-of-decoded-buffer
const bytes = Buffer.from(payload, 'hex');

// ok: js.eval-of-decoded-buffer
console.log(Buffer.from(payload, 'base64').toString());

// ok: js.eval-of-decoded-buffer
eval(Buffer.from(payload, 'utf8').toString());

module.exports = { fn, load, bytes };
