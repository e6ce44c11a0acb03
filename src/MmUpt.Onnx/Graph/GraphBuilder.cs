using System.Globalization;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Graph;

/// <summary>
/// Builds one ONNX graph (opset 17) node by node. Values are referred to by name; node names follow the ORT GenAI
/// model builder's convention ("/model/layers.0/attn/q_proj/MatMul", output "…/output_0"), so they are stable
/// and readable, and the same calls always give the same graph.
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly GraphProto _graph = new();
    private readonly List<InitializerEntry> _initializers;
    private readonly HashSet<string> _names;
    private readonly Dictionary<string, string> _constants;
    private readonly Stack<string> _scopes;
    private readonly List<ValueInfoProto> _overridableInputs;

    public GraphBuilder(string name)
    {
        _graph.Name = name;
        (_initializers, _names, _constants, _scopes, _overridableInputs) = ([], new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(), []);
    }

    /// <summary>A branch of <paramref name="parent"/>: its own nodes; names, scopes and initializers (outer-scope values) shared.</summary>
    private GraphBuilder(GraphBuilder parent, string name)
    {
        _graph.Name = name;
        (_initializers, _names, _constants, _scopes, _overridableInputs) =
            (parent._initializers, parent._names, parent._constants, parent._scopes, parent._overridableInputs);
    }

    /// <summary>
    /// An <c>If</c> node: <paramref name="then"/> or <paramref name="otherwise"/>, each built on a branch builder (which
    /// may use every value made so far) and returning its outputs, runs depending on the scalar bool
    /// <paramref name="condition"/>. Both return values of the given element types, which become the node's outputs
    /// under <paramref name="names"/>.
    /// </summary>
    public string[] If(string condition, IReadOnlyList<(string Name, TensorProto.Types.DataType Type)> names,
        Func<GraphBuilder, string[]> then, Func<GraphBuilder, string[]> otherwise)
    {
        GraphProto Branch(string branch, Func<GraphBuilder, string[]> body)
        {
            var builder = new GraphBuilder(this, branch);
            var results = body(builder);
            if (results.Length != names.Count)
            {
                throw new InvalidOperationException($"the {branch} branch gives {results.Length} values, the If has {names.Count}");
            }
            for (var i = 0; i < results.Length; i++)
            {
                builder._graph.Output.Add(new ValueInfoProto
                {
                    Name = results[i],
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)names[i].Type } },
                });
            }
            return builder._graph;
        }
        var thenGraph = Branch("then_branch", then);
        var elseGraph = Branch("else_branch", otherwise);
        var outputs = Node("If", [condition], names.Count, null,
            new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenGraph },
            new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseGraph });
        for (var i = 0; i < names.Count; i++)
        {
            Claim(names[i].Name);
            _graph.Node[^1].Output[i] = names[i].Name;
        }
        return names.Select(n => n.Name).ToArray();
    }

    /// <summary>Prefixes the names of nodes made until the returned scope is disposed, e.g. "model/layers.0/attn".</summary>
    public IDisposable Scope(string name)
    {
        _scopes.Push(_scopes.Count == 0 ? name : $"{_scopes.Peek()}/{name}");
        return new PopScope(_scopes);
    }

    public string Input(string name, TensorProto.Types.DataType type, params Dim[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as a graph output; it must already be named as the output should be.</summary>
    public void Output(string value, TensorProto.Types.DataType type, params Dim[] dims) =>
        _graph.Output.Add(ValueInfo(value, type, dims));

    /// <summary>How the names of the graph's own constants (not weights) begin: <c>const.f32.3</c>, <c>const.i64.0</c>.</summary>
    public const string ConstantPrefix = "const.";

    /// <summary>Adds a weight. Overridable ones are also graph inputs, so an ORT adapter can replace them.</summary>
    public string Initializer(string name, TensorPayload payload, bool overridable) => Add(name, payload, overridable, weight: true);

    private string Add(string name, TensorPayload payload, bool overridable, bool weight)
    {
        Claim(name);
        _initializers.Add(new InitializerEntry(name, payload, overridable, weight));
        if (overridable)
        {
            _overridableInputs.Add(ValueInfo(name, payload.Type, payload.Shape.Select(d => (Dim)d).ToArray()));
        }
        return name;
    }

    /// <summary>An int64 constant, shared between all uses of the same values.</summary>
    public string Int64s(params long[] values) => Int64s([values.Length], values);

    public string Int64Scalar(long value) => Int64s([], [value]);

    public string Int64s(long[] shape, long[] values)
    {
        var key = $"i64[{string.Join(",", shape)}]{string.Join(",", values)}";
        if (!_constants.TryGetValue(key, out var name))
        {
            name = Add($"{ConstantPrefix}i64.{_constants.Count}", TensorPayload.Int64(shape, values), overridable: false, weight: false);
            _constants[key] = name;
        }
        return name;
    }

    /// <summary>A float constant (stored as FLOAT), shared between uses of the same values.</summary>
    public string Floats(long[] shape, float[] values)
    {
        var key = $"f32[{string.Join(",", shape)}]{string.Join(",", values.Select(v => BitConverter.SingleToUInt32Bits(v)))}";
        if (!_constants.TryGetValue(key, out var name))
        {
            name = Add($"{ConstantPrefix}f32.{_constants.Count}", TensorPayload.Floats(shape, TensorProto.Types.DataType.Float, () => values), overridable: false, weight: false);
            _constants[key] = name;
        }
        return name;
    }

    public string FloatScalar(float value) => Floats([], [value]);

    /// <summary>Adds a node and returns its output names ("{node}/output_{i}").</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputs = 1, string? label = null,
        params AttributeProto[] attributes)
    {
        var baseName = _scopes.Count == 0 ? $"/{label ?? opType}" : $"/{_scopes.Peek()}/{label ?? opType}";
        var name = baseName;
        for (var n = 1; _names.Contains(name); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{baseName}_{n}");
        }
        Claim(name);
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        var outputNames = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            outputNames[i] = string.Create(CultureInfo.InvariantCulture, $"{name}/output_{i}");
        }
        node.Output.AddRange(outputNames);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputNames;
    }

    /// <summary>A node whose single output gets a chosen name (graph outputs such as "logits" or "present.0.key").</summary>
    public string NamedNode(string opType, IReadOnlyList<string> inputs, string outputName, params AttributeProto[] attributes)
    {
        Node(opType, inputs, 1, null, attributes);
        Claim(outputName);
        _graph.Node[^1].Output[0] = outputName;
        return outputName;
    }

    public OnnxModel Build(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var graph = _graph.Clone();
        graph.Input.AddRange(_overridableInputs.Select(v => v.Clone()));
        return new OnnxModel(graph, _initializers.ToArray(), metadata ?? new Dictionary<string, string>());
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"the graph already has a value or node named '{name}'");
        }
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, IReadOnlyList<Dim> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d.Value is { } v
                ? new TensorShapeProto.Types.Dimension { DimValue = v }
                : new TensorShapeProto.Types.Dimension { DimParam = d.Param ?? "" });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private sealed class PopScope(Stack<string> scopes) : IDisposable
    {
        public void Dispose() => scopes.Pop();
    }
}
