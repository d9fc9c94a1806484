using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Bundle;

public class SafeTensorsFileTests
{
    [Fact]
    public void Reads_f32_and_f16_tensors_by_name_and_shape()
    {
        var bytes = new SafeTensorsWriter()
            .Add("a", [1f, -2.5f, 3f, 4f, 5f, 6f], 2, 3)
            .Add("b", [0.5f, -0.25f, 1000f], "F16", 3)
            .ToBytes();
        var file = SafeTensorsFile.Parse("x.safetensors", bytes);
        Assert.Equal([1f, -2.5f, 3f, 4f, 5f, 6f], file.ReadFloat32("a", 2, 3));
        Assert.Equal([0.5f, -0.25f, 1000f], file.ReadFloat32("b", 3));
        Assert.Equal([2, 3], file.Shape("a"));
    }

    [Fact]
    public void A_wrong_shape_names_the_tensor_and_both_shapes()
    {
        var file = SafeTensorsFile.Parse("x.safetensors", new SafeTensorsWriter().Add("a", new float[6], 2, 3).ToBytes());
        var e = Assert.Throws<ModelBundleException>(() => file.ReadFloat32("a", 3, 2));
        Assert.Equal("a", e.Field);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var file = SafeTensorsFile.Parse("x.safetensors", new SafeTensorsWriter().Add("a", new float[1], 1).ToBytes());
        Assert.Equal("b", Assert.Throws<ModelBundleException>(() => file.ReadFloat32("b", 1)).Field);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 255, 255, 0, 0, 0, 0, 0, 0, 123 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 0, 0, 0, (byte)'n', (byte)'o', (byte)'p', (byte)'e' })]
    public void Garbage_headers_are_rejected(byte[] bytes)
    {
        var e = Assert.Throws<ModelBundleException>(() => SafeTensorsFile.Parse("x.safetensors", bytes));
        Assert.Equal("x.safetensors", e.File);
    }

    [Fact]
    public void Offsets_past_the_data_are_rejected()
    {
        var bytes = new SafeTensorsWriter().Add("a", new float[4], 4).ToBytes();
        var e = Assert.Throws<ModelBundleException>(() => SafeTensorsFile.Parse("x.safetensors", bytes[..^4]));
        Assert.Equal("a", e.Field);
    }

    [Fact]
    public void Unsupported_dtypes_are_named()
    {
        var bytes = new SafeTensorsWriter().Add("a", new float[2], 2).ToBytes();
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("\"F32\"", "\"I64\"");
        var e = Assert.Throws<ModelBundleException>(() => SafeTensorsFile.Parse("x.safetensors", System.Text.Encoding.Latin1.GetBytes(text)));
        Assert.Contains("I64", e.Message);
    }

    [Fact]
    public void Reads_i32_tensors_as_ids_and_keeps_them_apart_from_floats()
    {
        var file = SafeTensorsFile.Parse("x.safetensors", new SafeTensorsWriter()
            .Add("ids", [102, 0, 30521, -1], 4)
            .Add("f", [1.5f], 1)
            .ToBytes());
        Assert.Equal([102, 0, 30521, -1], file.ReadInt32("ids", 4));
        Assert.Contains("I32", Assert.Throws<ModelBundleException>(() => file.ReadFloat32("ids", 4)).Message);
        Assert.Equal("f", Assert.Throws<ModelBundleException>(() => file.ReadInt32("f", 1)).Field);
        Assert.Equal("ids", Assert.Throws<ModelBundleException>(() => file.ReadInt32("ids", 2, 2)).Field);
    }
}
