<?php
// Fixture for php.dynamic-call-of-request-data (written for provscan; not from any project).

function handler()
{
    // ruleid: php.dynamic-call-of-request-data
    $_GET['f']($_GET['x']);
    // ruleid: php.dynamic-call-of-request-data
    call_user_func($_POST['cb'], $_POST['arg']);
    // ruleid: php.dynamic-call-of-request-data
    $out = preg_replace('/(.*)/e', $_REQUEST['code'], 'x');
    // ok: php.dynamic-call-of-request-data
    $names = array_map('trim', explode(',', $_GET['names']));
    // ok: php.dynamic-call-of-request-data
    $slug = preg_replace('/[^a-z0-9]+/i', '-', $_GET['title']);
    // ok: php.dynamic-call-of-request-data
    $handlers = ['save' => 'save_post'];
    call_user_func($handlers['save'], $slug);
    return [$out, $names];
}
