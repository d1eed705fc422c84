<?php
// Fixture for php.unserialize-request-data (written for provscan; not from any project).

function cart_restore()
{
    // ruleid: php.unserialize-request-data
    $cart = unserialize($_COOKIE['cart']);
    // ruleid: php.unserialize-request-data
    $state = unserialize(base64_decode($_POST['state']));
    // ok: php.unserialize-request-data
    $cache = unserialize(file_get_contents(__DIR__ . '/cache.bin'), ['allowed_classes' => false]);
    // ok: php.unserialize-request-data
    $prefs = json_decode($_COOKIE['prefs'], true);
    return [$cart, $state, $cache, $prefs];
}
