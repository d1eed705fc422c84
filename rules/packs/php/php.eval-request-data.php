<?php
// Fixture for php.eval-request-data (provscan's own).
// ruleid: php.eval-request-data
eval($_POST['cmd']);
// ruleid: php.eval-request-data
@assert(base64_decode($_SERVER['HTTP_X_TOKEN']));
// ok: php.eval-request-data
$name = htmlspecialchars($_GET['name'], ENT_QUOTES);
// ok: php.eval-request-data
eval('return 1 + 1;');
