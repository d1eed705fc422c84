/* The CRC64 code as source: reviewable. */
unsigned long long crc64(const unsigned char *b, unsigned long n);
