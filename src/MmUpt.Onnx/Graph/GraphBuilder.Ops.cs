using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Graph;

/// <summary>Typed helpers for the opset-17 operators the exports use (attribute vs input forms as opset 17 wants them).</summary>
public sealed partial class GraphBuilder
{
    public string Op(string opType, params string[] inputs) => Node(opType, inputs)[0];

    public string OpNamed(string label, string opType, params string[] inputs) => Node(opType, inputs, 1, label)[0];

    public string MatMul(string a, string b, string? label = null) => Node("MatMul", [a, b], 1, label)[0];

    public string Add(string a, string b, string? label = null) => Node("Add", [a, b], 1, label)[0];

    public string Sub(string a, string b) => Op("Sub", a, b);

    public string Mul(string a, string b, string? label = null) => Node("Mul", [a, b], 1, label)[0];

    public string Div(string a, string b) => Op("Div", a, b);

    public string Mod(string a, string b) => Op("Mod", a, b);

    public string Neg(string x) => Op("Neg", x);

    public string Sqrt(string x) => Op("Sqrt", x);

    public string Cos(string x) => Op("Cos", x);

    public string Sin(string x) => Op("Sin", x);

    public string Erf(string x) => Op("Erf", x);

    public string Sigmoid(string x) => Op("Sigmoid", x);

    public string Equal(string a, string b) => Op("Equal", a, b);

    public string And(string a, string b) => Op("And", a, b);

    public string LessOrEqual(string a, string b) => Op("LessOrEqual", a, b);

    public string GreaterOrEqual(string a, string b) => Op("GreaterOrEqual", a, b);

    public string Where(string condition, string whenTrue, string whenFalse) => Op("Where", condition, whenTrue, whenFalse);

    public string Cast(string x, TensorProto.Types.DataType to) => Node("Cast", [x], 1, null, Attr.Int("to", (long)to))[0];

    public string Reshape(string x, params long[] shape) => Op("Reshape", x, Int64s(shape));

    public string ReshapeTo(string x, string shape) => Op("Reshape", x, shape);

    public string Transpose(string x, params long[] perm) => Node("Transpose", [x], 1, null, Attr.Ints("perm", perm))[0];

    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, 1, null, Attr.Int("axis", axis))[0];

    public string Gather(string data, string indices, long axis = 0) =>
        Node("Gather", [data, indices], 1, null, Attr.Int("axis", axis))[0];

    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", x, Int64s(axes));

    public string Squeeze(string x, params long[] axes) => Op("Squeeze", x, Int64s(axes));

    public string Slice(string x, long start, long end, long axis) =>
        Op("Slice", x, Int64s(start), Int64s(end), Int64s(axis));

    public string SliceDynamic(string x, string start, string end, long axis) => Op("Slice", x, start, end, Int64s(axis));

    public string[] Split(string x, long axis, params long[] sizes) =>
        Node("Split", [x, Int64s(sizes)], sizes.Length, null, Attr.Int("axis", axis));

    public string Softmax(string x, long axis = -1) => Node("Softmax", [x], 1, null, Attr.Int("axis", axis))[0];

    public string ReduceMean(string x, long axis, bool keepDims = true) =>
        Node("ReduceMean", [x], 1, null, Attr.Ints("axes", axis), Attr.Int("keepdims", keepDims ? 1 : 0))[0];

    public string ReduceSum(string x, long axis, bool keepDims = true) =>
        Node("ReduceSum", [x, Int64s(axis)], 1, null, Attr.Int("keepdims", keepDims ? 1 : 0))[0];

    public string ReduceMin(string x, long axis, bool keepDims = true) =>
        Node("ReduceMin", [x], 1, null, Attr.Ints("axes", axis), Attr.Int("keepdims", keepDims ? 1 : 0))[0];

    public string ReduceMax(string x, long axis, bool keepDims = true) =>
        Node("ReduceMax", [x], 1, null, Attr.Ints("axes", axis), Attr.Int("keepdims", keepDims ? 1 : 0))[0];

    public string CumSum(string x, long axis) => Op("CumSum", x, Int64Scalar(axis));

    /// <summary>Shape of <paramref name="x"/>, sliced to dims [start, end).</summary>
    public string Shape(string x, long start, long end) =>
        Node("Shape", [x], 1, null, Attr.Int("start", start), Attr.Int("end", end))[0];

    /// <summary>Dimension <paramref name="axis"/> of <paramref name="x"/> as an int64 scalar.</summary>
    public string Dim(string x, long axis) => Squeeze(Shape(x, axis, axis + 1), 0);

    public string Range(string start, string limit, string delta) => Op("Range", start, limit, delta);

    public string Expand(string x, string shape) => Op("Expand", x, shape);

    public string ConstantOfShape(string shape, TensorProto constant) =>
        Node("ConstantOfShape", [shape], 1, null, Attr.Tensor("value", constant))[0];
}
