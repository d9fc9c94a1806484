using System.Text.Json.Nodes;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Tests.Support;
using Summarizer.Reference;

namespace Summarizer.Inference.Tests.Decoder;

/// <summary>
/// The benchmark's comparator computes what the native step computes: ONNX Runtime on training/export_step_onnx.py's graphs
/// against <see cref="TransformerDecoder"/> on the same weights and inputs (tests/fixtures/step-onnx, a random micro decoder
/// written by <c>python3 -m training.export_step_onnx --fixture tests/fixtures/step-onnx</c>). The graphs' own parity with
/// PyTorch is training/tests/test_export_step_onnx.py's; the native step's, tests/Inference.Tests/Parity's.
/// </summary>
public class OnnxStepParityTests
{
    private static readonly string Fixture = Path.Combine(Path.GetDirectoryName(TinyBundle.Find())!, "step-onnx");

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Onnx_runtime_steps_give_the_native_log_probs(int rows)
    {
        var (decoder, config) = LoadNative();
        var (memory, source) = Request(config, sourceLength: 20);
        var state = decoder.CreateState(memory, source, rows);
        using var onnx = OnnxDecoderStep.Load(Fixture);
        Assert.Equal(config.DecoderLayers, onnx.Layers);
        onnx.Start(memory, source, rows);
        var random = new Random(7);
        for (var t = 0; t < config.MaxTargetLength; t++)
        {
            var tokens = Enumerable.Range(0, rows).Select(_ => t == 0 ? config.BosId : random.Next(config.VocabSize)).ToArray();
            state.Step(tokens, t);
            onnx.Step(tokens, t);
            for (var r = 0; r < rows; r++)
                AssertClose(state.LogProbs(r), onnx.LogProbs(r), $"step {t} row {r}");
        }
    }

    [Fact]
    public void A_step_that_does_not_advance_can_be_repeated_on_the_same_cache()
    {
        var (decoder, config) = LoadNative();
        var (memory, source) = Request(config, sourceLength: 12);
        const int rows = 2, warm = 5;
        var state = decoder.CreateState(memory, source, rows);
        using var onnx = OnnxDecoderStep.Load(Fixture);
        onnx.Start(memory, source, rows);
        for (var t = 0; t < warm; t++)
        {
            int[] tokens = t == 0 ? [config.BosId, config.BosId] : [source[t], source[t + 1]];
            state.Step(tokens, t);
            onnx.Step(tokens, t);
        }
        int[] next = [7, 11];
        for (var repeat = 0; repeat < 3; repeat++)
        {
            state.Step(next, warm);
            onnx.Step(next, warm, advance: false);
            for (var r = 0; r < rows; r++)
                AssertClose(state.LogProbs(r), onnx.LogProbs(r), $"repeat {repeat} row {r}");
            foreach (var cache in state.Caches)
                cache.Truncate(warm); // the benchmark's rewind
        }
    }

    // The fixture's decoder: config.json's model section, decoder.safetensors with E as embed.weight.
    private static (TransformerDecoder Decoder, ModelConfig Config) LoadNative()
    {
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixture, "config.json")))!["model"]!;
        int Int(string name) => (int)model[name]!;
        var config = new ModelConfig
        {
            VocabSize = Int("vocab_size"),
            DModel = Int("d_model"),
            HeadCount = Int("n_heads"),
            FeedForwardDim = Int("d_ff"),
            DecoderLayers = Int("n_dec_layers"),
            ShortlistSize = Int("n_gen"),
            MaxSourceLength = Int("max_src_len"),
            MaxTargetLength = Int("max_tgt_len"),
            NormEps = (float)model["norm_eps"]!,
            PadId = Int("pad_id"),
            UnkId = Int("unk_id"),
            BosId = Int("bos_id"),
            EosId = Int("eos_id"),
        };
        var file = SafeTensorsFile.Load(Path.Combine(Fixture, "decoder.safetensors"));
        var embedding = file.ReadFloat32("embed.weight", config.VocabSize, config.DModel);
        return (new TransformerDecoder(DecoderWeights.Load(file, embedding, config)), config);
    }

    // Random memory and source ids with repeats (copy mass adds up) and ids inside and outside the shortlist.
    private static (float[] Memory, int[] Source) Request(ModelConfig config, int sourceLength)
    {
        var random = new Random(sourceLength);
        var memory = Enumerable.Range(0, sourceLength * config.DModel).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var source = Enumerable.Range(0, sourceLength).Select(j => j % 5 == 4 ? 9 : random.Next(4, config.VocabSize)).ToArray();
        return (memory, source);
    }

    private static void AssertClose(ReadOnlySpan<float> native, ReadOnlySpan<float> onnx, string where)
    {
        var (_, relative, id) = OnnxDecoderStep.Difference(native, onnx);
        Assert.True(relative <= OnnxDecoderStep.Tolerance, $"{where}: log P({id}) native {native[id]} vs ONNX Runtime {onnx[id]}");
    }
}
