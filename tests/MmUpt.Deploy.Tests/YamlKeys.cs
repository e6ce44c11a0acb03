using YamlDotNet.RepresentationModel;

namespace MmUpt.Deploy.Tests;

/// <summary>A YAML document flattened to configuration keys (<c>Train:Stages:0:Data</c>), as the CLI's loader sees it.</summary>
public static class YamlKeys
{
    public static Dictionary<string, string> Flatten(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Walk(stream.Documents[0].RootNode, "", keys);
        return keys;
    }

    private static void Walk(YamlNode node, string prefix, Dictionary<string, string> keys)
    {
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children) Walk(v, Join(prefix, ((YamlScalarNode)k).Value!), keys);
                break;
            case YamlSequenceNode s:
                for (var i = 0; i < s.Children.Count; i++) Walk(s.Children[i], Join(prefix, i.ToString()), keys);
                break;
            case YamlScalarNode v:
                keys[prefix] = v.Value ?? "";
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}:{key}";
}
