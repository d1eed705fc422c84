<?php
// Fixture for php.eval-of-decoded (written for provscan; not from any project).

function plugin_boot($payload)
{
    // ruleid: php.eval-of-decoded
    eval(gzinflate(base64_decode('S0lNzs8pzUhNTtQHAA==')));
    // ruleid: php.eval-of-decoded
    @assert(str_rot13($payload));
    // ok: php.eval-of-decoded
    $config = json_decode(base64_decode($payload), true);
    // ok: php.eval-of-decoded
    assert(is_array($config));
    return $config;
}
