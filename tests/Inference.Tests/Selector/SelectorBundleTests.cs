using System.Text.Json.Nodes;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Selector;

/// <summary>A bundle's optional sentence selector: loaded when config.json has a <c>selector</c> section, every problem named.</summary>
public sealed class SelectorBundleTests : IDisposable
{
    private readonly string _dir = RandomBundle.Write(RandomBundle.TempDirectory());

    public SelectorBundleTests()
    {
        // The tiny bundle's selector reads the same encoder width as the random bundle's decoder.
        var tiny = TinyBundle.Find();
        File.Copy(Path.Combine(tiny, "selector.safetensors"), Path.Combine(_dir, "selector.safetensors"));
        var selector = JsonNode.Parse(File.ReadAllText(Path.Combine(tiny, "config.json")))!["selector"]!.DeepClone();
        EditConfig(root => root["selector"] = selector);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TransformerSummarizer Load() => TransformerSummarizer.Load(_dir, new InferenceSettings { IntraOpThreads = 1 });

    private ModelBundleException LoadFails() => Assert.Throws<ModelBundleException>(() => Load().Dispose());

    private void EditConfig(Action<JsonObject> edit) => RandomBundle.EditConfig(_dir, edit);

    [Fact]
    public void A_bundle_with_a_selector_section_loads_it_and_reports_its_sizes()
    {
        using var model = Load();
        Assert.NotNull(model.Selector);
        Assert.Equal(64, model.Model.Selector!.DModel);
        Assert.Equal(3, model.Model.Selector.SentenceCount);
    }

    [Fact]
    public void A_bundle_without_one_has_no_extractive_mode()
    {
        EditConfig(root => root.Remove("selector"));
        using var model = Load();
        Assert.Null(model.Model.Selector);
        var source = model.TokenizeSource("One sentence here. Another one there.");
        var e = Assert.Throws<NotSupportedException>(() => model.Extract(source, new ExtractiveOptions(2)));
        Assert.Contains("no sentence selector", e.Message);
    }

    [Theory]
    [InlineData("select_sentences", 2)]
    [InlineData("copy_salience", 1.5)]
    public void Content_selection_defaults_without_a_selector_are_named(string key, double value)
    {
        EditConfig(root =>
        {
            root.Remove("selector");
            root["decoding"]![key] = value;
        });
        Assert.Equal($"decoding.{key}", LoadFails().Field);
    }

    [Fact]
    public void The_copy_salience_default_is_read_from_the_decoding_section()
    {
        EditConfig(root => root["decoding"]!["copy_salience"] = 2.5);
        using var model = Load();
        Assert.Equal(2.5f, model.Model.Defaults.CopySalience);
    }

    [Fact]
    public void A_missing_selector_file_is_named()
    {
        File.Delete(Path.Combine(_dir, "selector.safetensors"));
        Assert.Contains("selector.safetensors", LoadFails().Message);
    }

    [Theory]
    [InlineData("d_mem", 256, "selector.d_mem")]
    [InlineData("n_heads", 3, "selector.d_model")]
    [InlineData("sentence_count", 21, "selector.sentence_count")]
    [InlineData("d_attn", 0, "selector.d_attn")]
    public void A_bad_selector_field_is_named(string key, int value, string field)
    {
        EditConfig(root => root["selector"]![key] = value);
        Assert.Equal(field, LoadFails().Field);
    }

    [Fact]
    public void Sizes_that_disagree_with_the_weights_name_the_tensor()
    {
        EditConfig(root => root["selector"]!["d_attn"] = 16);
        Assert.Contains("pool.w_q.weight", LoadFails().Message);
    }

    [Fact]
    public void A_selector_file_outside_the_bundle_is_refused()
    {
        EditConfig(root => root["selector"]!["file"] = "../selector.safetensors");
        Assert.Equal("selector.file", LoadFails().Field);
    }
}
