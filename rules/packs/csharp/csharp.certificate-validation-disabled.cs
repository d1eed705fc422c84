// Fixture for csharp.certificate-validation-disabled (written for provscan; not from any project).
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;

namespace Example.Net
{
    public static class Transport
    {
        public static HttpClient Create(bool pinned, string thumbprint)
        {
            // ruleid: csharp.certificate-validation-disabled
            ServicePointManager.ServerCertificateValidationCallback = (sender, cert, chain, errors) => true;

            var handler = new HttpClientHandler();
            // ruleid: csharp.certificate-validation-disabled
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            // ruleid: csharp.certificate-validation-disabled
            handler.ServerCertificateCustomValidationCallback = delegate { return true; };
            // ok: csharp.certificate-validation-disabled
            handler.ServerCertificateCustomValidationCallback = (msg, cert, chain, errors) =>
                errors == SslPolicyErrors.None || cert?.GetCertHashString() == thumbprint;
            return new HttpClient(handler);
        }

        public static SslStream Wrap(TcpClient client)
        {
            // ruleid: csharp.certificate-validation-disabled
            return new SslStream(client.GetStream(), false, (s, c, ch, e) => true);
        }

        public static SslStream Strict(TcpClient client)
        {
            // ok: csharp.certificate-validation-disabled
            return new SslStream(client.GetStream(), false, (s, c, ch, e) => e == SslPolicyErrors.None);
        }
    }
}
