namespace Summarizer.Attention.Tests;

/// <summary>Shapes drawn at random each run (fresh seed in every message), on top of the fixed shapes of the other tests.</summary>
public class RandomShapeTests
{
    [Fact]
    public void DotProductAttentionOnRandomShapes()
    {
        for (int trial = 0; trial < 25; trial++)
        {
            var data = new TestData();
            Random rnd = data.Random;
            int nq = rnd.Next(1, 7), nk = rnd.Next(1, 40), dk = rnd.Next(1, 70), dv = rnd.Next(1, 40);
            bool causal = rnd.Next(2) == 0, scaled = rnd.Next(2) == 0;
            float[] q = data.Floats(nq * dk, 2), k = data.Floats(nk * dk, 2), v = data.Floats(nk * dv);
            float[]? mask = rnd.Next(3) switch { 0 => null, 1 => data.Mask(nk), _ => data.Mask(nq * nk) };
            var output = new float[nq * dv];
            var weights = new float[nq * nk];

            DotProductAttention.Forward(q, k, v, output, nq, nk, dk, dv, mask, weights, scaled, causal);

            var (eo, ew) = Reference.DotProduct(q, k, v, nq, nk, dk, dv, mask, scaled, causal);
            string context = $"seed {data.Seed}: [{nq},{nk},{dk},{dv}] causal {causal} scaled {scaled}";
            Check.Close(ew, weights, 1e-5, context);
            Check.Close(eo, output, 1e-5, context);
        }
    }

    [Fact]
    public void MultiHeadCrossAttentionOnRandomShapes()
    {
        for (int trial = 0; trial < 10; trial++)
        {
            var data = new TestData();
            Random rnd = data.Random;
            int heads = rnd.Next(1, 6), dModel = heads * rnd.Next(1, 20), rows = rnd.Next(1, 6), s = rnd.Next(1, 30);
            MultiHeadAttentionWeights w = data.Weights(dModel, heads);
            var attention = new MultiHeadAttention(w);
            float[] memory = data.Floats(s * dModel), x = data.Floats(rows * dModel), mask = data.Mask(s);
            var kv = new CrossAttentionKeyValues(heads, dModel / heads, s);
            var output = new float[rows * dModel];
            var weights = new float[rows * heads * s];

            attention.ComputeCrossKeyValues(memory, s, kv);
            attention.CrossAttention(x, rows, kv, new AttentionWorkspace(dModel, heads, rows, s), output, mask, weights);

            var (eo, ew) = Reference.MultiHead(w, x, rows, memory, s, mask, causal: false);
            string context = $"seed {data.Seed}: heads {heads}, dModel {dModel}, rows {rows}, S {s}";
            Check.Close(ew, weights, 1e-5, context);
            Check.Close(eo, output, 1e-4, context);
        }
    }

    [Fact]
    public void LinearOnRandomShapes()
    {
        for (int trial = 0; trial < 25; trial++)
        {
            var data = new TestData();
            Random rnd = data.Random;
            int rows = rnd.Next(1, 12), inDim = rnd.Next(1, 90), outDim = rnd.Next(1, 80);
            float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim), b = data.Floats(outDim);
            var y = new float[rows * outDim];
            Linear.Forward(x, w, b, y, rows, inDim, outDim);
            Check.Close(Reference.Linear(x, w, b, rows, inDim, outDim), y, 1e-5, $"seed {data.Seed}: [{rows},{inDim}]→{outDim}");
        }
    }
}
