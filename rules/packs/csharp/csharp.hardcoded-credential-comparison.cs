// Fixture for csharp.hardcoded-credential-comparison (written for provscan; not from any project).
using System;
using System.Security.Cryptography;
using System.Text;

namespace Example.Auth
{
    public sealed class Authenticator
    {
        private readonly IUserStore _users;

        public Authenticator(IUserStore users) => _users = users;

        public bool SignIn(string user, string password)
        {
            // ruleid: csharp.hardcoded-credential-comparison
            if (password == "svc-maint#2019")
                return true;
            // ruleid: csharp.hardcoded-credential-comparison
            if (password.Equals("letmein!", StringComparison.Ordinal))
                return true;
            var expected = _users.HashFor(user);
            return CryptographicOperations.FixedTimeEquals(expected, Hash(password));
        }

        public bool CheckKey(Request request)
        {
            // ruleid: csharp.hardcoded-credential-comparison
            return string.Equals(request.ApiKey, "ak_7f3e9a21", StringComparison.Ordinal);
        }

        public bool Validate(string password, string scheme, string expectedSecret, string secret)
        {
            // ok: csharp.hardcoded-credential-comparison
            if (password == "")
                return false;
            // ok: csharp.hardcoded-credential-comparison
            if (scheme == "Bearer")
                return secret == expectedSecret;
            // ok: csharp.hardcoded-credential-comparison
            return secret.Equals(expectedSecret);
        }

        private static byte[] Hash(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));
    }
}
