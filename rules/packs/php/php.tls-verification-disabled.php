<?php
// Fixture for php.tls-verification-disabled (written for provscan; not from any project).

function fetch_feed($url, $caBundle)
{
    $ch = curl_init($url);
    // ruleid: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
    // ruleid: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);
    // ok: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_CAINFO, $caBundle);
    // ok: php.tls-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    return curl_exec($ch);
}

function stream($url)
{
    $ctx = stream_context_create([
        'ssl' => [
            // ruleid: php.tls-verification-disabled
            'verify_peer' => false,
            // ok: php.tls-verification-disabled
            'allow_self_signed' => false,
        ],
    ]);
    return file_get_contents($url, false, $ctx);
}
