// Fixture for csharp.unsafe-deserializer (written for provscan; not from any project).
using System.IO;
using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;
using Newtonsoft.Json;

namespace Example.Storage
{
    public sealed class SessionCodec
    {
        public object Read(Stream body)
        {
            // ruleid: csharp.unsafe-deserializer
            var formatter = new BinaryFormatter();
            return formatter.Deserialize(body);
        }

        public T ReadJson<T>(string json)
        {
            var settings = new JsonSerializerSettings
            {
                // ruleid: csharp.unsafe-deserializer
                TypeNameHandling = TypeNameHandling.Auto,
            };
            return JsonConvert.DeserializeObject<T>(json, settings);
        }

        public T ReadPlain<T>(string json)
        {
            var settings = new JsonSerializerSettings
            {
                // ok: csharp.unsafe-deserializer
                TypeNameHandling = TypeNameHandling.None,
            };
            return JsonConvert.DeserializeObject<T>(json, settings);
        }

        public T ReadModern<T>(Stream body)
        {
            // ok: csharp.unsafe-deserializer
            var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            return JsonSerializer.Deserialize<T>(body, options);
        }
    }
}
