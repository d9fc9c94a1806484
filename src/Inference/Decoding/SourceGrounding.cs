using System.Numerics.Tensors;

namespace Summarizer.Inference.Decoding;

/// <summary>
/// Grounded decoding for one source (docs/DESIGN.md "Grounded decoding"): a logits processor that, from a hypothesis's
/// own tokens, bans every next piece that would leave what the source supports —
/// <list type="bullet">
/// <item>words are real: a word is a vocabulary whole word, or a word of the source spelled piece by piece as the source
/// spells it (a trie over piece ids); a word may end only where such a word ends;</item>
/// <item>numbers are copied, never composed: a word that starts with a digit follows, piece by piece and across "." "," ":",
/// a number the source states, and ends only where that number ends;</item>
/// <item>no compound is composed: words the source glues with "-", "'", "/" ("ward-prowse", "o'neill", "3-2") are units
/// too, and a glue mark that starts one must go on as the source wrote it;</item>
/// <item>no stutter and fewer repeats, at the word level: no word (or punctuation mark) twice in a row, no repeated word
/// n-gram, no content word more than a set number of times — counting the parts of compounds as a reader does
/// ("mega-fight" then "fight" is "fight" twice).</item>
/// </list>
/// It is stateless between steps (each call re-reads the hypothesis, so beams reorder freely) and allocates nothing
/// per call. Not thread-safe: one request, one instance.
/// </summary>
public sealed class SourceGrounding
{
    private const int TextRoot = 0;   // words without digits
    private const int NumberRoot = 1; // words starting with a digit, and number runs across separators
    private const int None = -1;

    private readonly GroundingVocabulary _vocabulary;
    private readonly int _noRepeatWordNgramSize;
    private readonly int _maxWordRepeats;

    // The source's trie (nodes 0..n−1); ids from n on are the vocabulary's whole words, each a leaf under the text root.
    private readonly int _nodeCount;
    private readonly int[] _parent;
    private readonly int[] _piece;
    private readonly bool[] _terminal;
    private readonly bool[] _separator;   // a number separator inside a number run
    private readonly bool[] _number;      // a node under the number root
    private readonly bool[] _glued;       // a node past a glue mark of its unit ("united '", "ward - prowse")
    private readonly string[] _text;      // the unit so far, and its last part (after the last glue mark)
    private readonly string[] _tail;
    private readonly bool[] _alphanumeric;
    private readonly bool[] _content;
    private readonly int[] _childStart;   // CSR: children of node i are _childPiece/_childNode[_childStart[i].._childStart[i+1])
    private readonly int[] _childPiece;
    private readonly int[] _childNode;
    private readonly Dictionary<long, int> _child;
    private readonly float[] _startMask;  // the vocabulary's word-start mask with the source's number starts opened
    private readonly int[] _ends;         // per node: how many places in its subtree a word may end
    private readonly int[] _toEnd;        // per node: fewest pieces still needed before a word may end
    private readonly int _deepest;        // the largest _toEnd
    private readonly int _maxLength;

    // Per-call scratch, sized once.
    private readonly int[] _words;
    private readonly int[] _banned;
    private readonly int[] _bannedNext;
    private readonly float[] _saved;
    private readonly Dictionary<int, (int Start, int Count)> _followers = []; // piece → the pieces after it in the source
    private readonly HashSet<string> _contracted = new(StringComparer.Ordinal); // words the source writes before "n't"
    private readonly int[] _follower;
    private readonly int[] _bannedBelow;  // per node: ends in its subtree that are banned (only touched nodes are non-zero)
    private readonly List<int> _touched;

    // The repeat limit's counting: a finished unit's content parts as keys (a vocabulary word's key is its id, another
    // part's an id past the vocabulary), and, per key, the source units that hold it; counts and marks are per call.
    private readonly int[] _keyStart;     // CSR: keys of terminal node i are _key[_keyStart[i].._keyStart[i+1])
    private readonly int[] _key;
    private readonly Dictionary<int, (int Start, int Count)> _unitsWithKey = [];
    private readonly int[] _unitWithKey;
    private readonly int[] _timesInUnit;  // per _unitWithKey entry: how often the unit holds the key ("face-to-face": 2)
    private readonly int[] _overfull;     // units that hold a part more often than the limit allows at all
    private readonly int[] _keyCount;
    private readonly int[] _addedAt;      // per unit id: the BannedWords call that last added it
    private int _call;

    /// <param name="vocabulary">The model's vocabulary.</param>
    /// <param name="sourceIds">The ids the decoder reads.</param>
    /// <param name="sourceSpans">Each source id's character span in the input (so "3.5" is one number and "2017 ." is not).</param>
    /// <param name="maxLength">Most tokens a hypothesis will have.</param>
    /// <param name="noRepeatWordNgramSize">No word n-gram of this size twice; 0 = off.</param>
    /// <param name="maxWordRepeats">Most times one content word may be written; 0 = no limit.</param>
    public SourceGrounding(GroundingVocabulary vocabulary, ReadOnlySpan<int> sourceIds, ReadOnlySpan<(int Start, int End)> sourceSpans,
        int maxLength, int noRepeatWordNgramSize, int maxWordRepeats)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (sourceSpans.Length != sourceIds.Length)
            throw new ArgumentException("One span per source id is needed.", nameof(sourceSpans));
        ArgumentOutOfRangeException.ThrowIfNegative(noRepeatWordNgramSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWordRepeats);
        _vocabulary = vocabulary;
        _noRepeatWordNgramSize = noRepeatWordNgramSize;
        _maxWordRepeats = maxWordRepeats;

        var builder = new TrieBuilder(vocabulary);
        var words = SourceWords(sourceIds);
        foreach (var (start, end) in words)
        {
            if (vocabulary.HasDigit(sourceIds[start]))
                continue; // numbers go in as runs below
            if (end - start > 1)
                builder.Add(TextRoot, sourceIds[start..end], terminalAtFirst: true);
        }
        // PTB's "n't" ("do n't") is joined to the word before it: only a word the source contracts may take it ("sayn't" may not).
        for (var w = 1; w + 2 < words.Count; w++)
        {
            if (vocabulary.Pieces[sourceIds[words[w].Start]] == "n" && words[w].End - words[w].Start == 1
                && vocabulary.Pieces[sourceIds[words[w + 1].Start]] == "'" && vocabulary.Pieces[sourceIds[words[w + 2].Start]] == "t")
                _contracted.Add(string.Concat(sourceIds[words[w - 1].Start..words[w - 1].End].ToArray().Select(id => vocabulary.Pieces[id])));
        }
        foreach (var run in Runs(sourceIds, sourceSpans, words))
        {
            var number = vocabulary.HasDigit(run[0]);
            if (number || run.Skip(1).Any(vocabulary.IsGlue)) // a lone word is in already; a lone "." is no unit
                builder.Add(number ? NumberRoot : TextRoot, run, terminalAtFirst: !number);
        }

        _nodeCount = builder.Count;
        (_parent, _piece, _terminal, _separator) = (builder.Parent.ToArray(), builder.Piece.ToArray(), builder.Terminal.ToArray(), builder.Separator.ToArray());
        _glued = new bool[_nodeCount];
        _text = new string[_nodeCount];
        _tail = new string[_nodeCount];
        _number = new bool[_nodeCount];
        _alphanumeric = new bool[_nodeCount];
        _content = new bool[_nodeCount];
        for (var node = 2; node < _nodeCount; node++)
        {
            // Parents come before their children, and the roots' entries stay false / empty.
            var parent = _parent[node];
            var word = builder.Text(node);
            var glue = parent > NumberRoot && vocabulary.IsGlue(_piece[node]);
            _number[node] = _number[parent] || parent == NumberRoot;
            _text[node] = word;
            _glued[node] = glue || _glued[parent];
            _tail[node] = glue ? "" : (parent > NumberRoot ? _tail[parent] : "") + vocabulary.Pieces[_piece[node]];
            _alphanumeric[node] = word.Any(char.IsLetterOrDigit);
            _content[node] = _alphanumeric[node] && !Text.EnglishStopwords.Contains(word);
        }
        _child = builder.Children;
        (_childStart, _childPiece, _childNode) = builder.Csr();

        _startMask = (float[])vocabulary.WordStartMask.Clone();
        for (var c = _childStart[NumberRoot]; c < _childStart[NumberRoot + 1]; c++)
            _startMask[_childPiece[c]] = 0f;

        // Children have higher ids than their parents, so one backward pass sums subtrees.
        _ends = new int[_nodeCount];
        _toEnd = new int[_nodeCount];
        for (var node = _nodeCount - 1; node > NumberRoot; node--)
        {
            var ends = Finishing(node) != None;
            _ends[node] += ends ? 1 : 0;
            _ends[_parent[node]] += _ends[node];
            if (ends)
                _toEnd[node] = 0;
            else
            {
                var fewest = int.MaxValue / 2;
                for (var c = _childStart[node]; c < _childStart[node + 1]; c++)
                    fewest = Math.Min(fewest, _toEnd[_childNode[c]] + 1);
                _toEnd[node] = fewest;
            }
            _deepest = Math.Max(_deepest, _toEnd[node]);
        }
        _maxLength = maxLength;

        var followers = new SortedSet<(int, int)>();
        for (var i = 0; i + 1 < sourceIds.Length; i++)
            followers.Add((sourceIds[i], sourceIds[i + 1]));
        _follower = new int[followers.Count];
        var at = 0;
        foreach (var (piece, next) in followers)
        {
            _followers[piece] = _followers.TryGetValue(piece, out var range) ? (range.Start, range.Count + 1) : (at, 1);
            _follower[at++] = next;
        }

        (_keyStart, _key, _unitWithKey, _timesInUnit, var keyCount) = ContentKeys();
        _keyCount = new int[maxWordRepeats > 0 ? keyCount : 0];
        _overfull = maxWordRepeats > 0
            ? _unitWithKey.Where((_, u) => _timesInUnit[u] > maxWordRepeats).Distinct().ToArray()
            : [];
        _addedAt = new int[_nodeCount + vocabulary.Size];

        var widest = 0;
        for (var node = 0; node < _nodeCount; node++)
            widest = Math.Max(widest, _childStart[node + 1] - _childStart[node]);
        _bannedBelow = new int[_nodeCount];
        _touched = new List<int>(64);
        _words = new int[maxLength + 2];
        // Banned: the words of the stutter and n-gram rules, then whole units through their keys (each unit once).
        var capacity = 2 * (maxLength + 2) + _unitWithKey.Length + (maxLength + 2) * MaxKeys();
        _banned = new int[capacity];
        _bannedNext = new int[capacity];
        _saved = new float[widest];
    }

    /// <summary>Added to the log-prob of each piece that follows the previous piece somewhere in the source (0 = none).</summary>
    public float PhraseBonus { get; init; }

    /// <summary>
    /// Sets to −∞ every entry of <paramref name="logProbs"/> that would take the hypothesis <paramref name="generated"/>
    /// (BOS excluded) outside the source's support. End-of-sequence stays allowed wherever a word may end.
    /// </summary>
    public void Ban(Span<float> logProbs, ReadOnlySpan<int> generated)
    {
        if (logProbs.Length != _vocabulary.Size)
            throw new ArgumentException($"Expected {_vocabulary.Size} log-probs.", nameof(logProbs));

        // 1. Re-read the hypothesis: the unit being written (node) and the finished alphanumeric words before it.
        var node = None;
        var wordCount = 0;
        var punctuationSince = false;
        var afterNumber = false; // the unit before this one was a number
        string? lastTail = null; // the last part of the last word ("s" of "united's")
        foreach (var id in generated)
        {
            var child = node >= 0 ? Child(node, id) : None;
            if (child != None)
            {
                node = child;
                continue;
            }
            if (node >= 0)
            {
                Finish(node, ref wordCount, ref punctuationSince);
                lastTail = TailOf(Finishing(node)) ?? lastTail;
            }
            afterNumber = node >= 0 && node < _nodeCount && _number[node] && !_separator[node];
            node = Start(id); // None only for a hypothesis made without grounding: then it is read as if at a word start
        }
        // "3 ." then "3" would read "3.3", a number the source may never state: after a number and a separator, no number starts.
        var gluesNumbers = node >= 0 && (node < _nodeCount ? _separator[node] : afterNumber && _vocabulary.IsNumberSeparator(node - _nodeCount));

        // 2. The words the current unit may not end as, and those a new word may not be.
        var finishing = node >= 0 ? Finishing(node) : None;
        var banned = BannedWords(_words.AsSpan(0, wordCount), punctuationSince, _banned);
        // "united united's": a word may not start a unit with the last part of the word before it either.
        var stutters = node >= 0 && !punctuationSince && lastTail is not null && !(node < _nodeCount && _glued[node])
            && TextOf(node) == lastTail;
        var canEnd = node < 0 || (finishing != None && !banned.Contains(finishing) && !stutters);
        var nextCount = wordCount;
        var nextPunctuation = punctuationSince;
        if (node >= 0)
            Finish(node, ref nextCount, ref nextPunctuation);
        var bannedNext = canEnd ? BannedWords(_words.AsSpan(0, nextCount), nextPunctuation, _bannedNext) : [];

        // 3. Keep the current unit's continuations, then open word starts only where the unit may end.
        var (first, last) = node >= 0 && node < _nodeCount ? (_childStart[node], _childStart[node + 1]) : (0, 0);
        for (var c = first; c < last; c++)
            _saved[c - first] = logProbs[_childPiece[c]];
        if (canEnd)
        {
            TensorPrimitives.Add(logProbs, _startMask, logProbs);
            if (gluesNumbers)
                for (var c = _childStart[NumberRoot]; c < _childStart[NumberRoot + 1]; c++)
                    logProbs[_childPiece[c]] = float.NegativeInfinity;
            // No punctuation mark twice in a row ("!!!", ". ."): a mark is a vocabulary word, so it is a leaf of its own.
            if (node >= _nodeCount && !_vocabulary.IsAlphanumeric(node - _nodeCount))
                logProbs[node - _nodeCount] = float.NegativeInfinity;
        }
        else
            logProbs.Fill(float.NegativeInfinity);
        var stutterText = punctuationSince ? null : lastTail;
        var contraction = node >= 0 && node < _nodeCount && !_glued[node] && _text[node] == "n"
            && (punctuationSince || lastTail is null || !_contracted.Contains(lastTail));
        for (var c = first; c < last; c++)
        {
            // Past a stutter no glue mark may go on; a last piece that would spell the word before again is a dead end;
            // "n" goes on to "n't" only after a word the source contracts.
            var child = _childNode[c];
            var dead = (stutters && _glued[child]) || (!_glued[child] && OnlyGlueAfter(child) && TextOf(child) == stutterText)
                || (contraction && _vocabulary.Pieces[_childPiece[c]] == "'");
            logProbs[_childPiece[c]] = dead ? float.NegativeInfinity : _saved[c - first];
        }
        if (canEnd && TailOf(finishing) is { } nextTail && (nextPunctuation ? -1 : _vocabulary.WholeWordId(nextTail)) is var repeat and >= 0
            && Start(repeat) is var start && OnlyGlueAfter(start))
            logProbs[repeat] = float.NegativeInfinity; // a word that could only stutter

        if (PhraseBonus != 0 && generated.Length > 0 && _followers.TryGetValue(generated[^1], out var follows))
            foreach (var next in _follower.AsSpan(follows.Start, follows.Count))
                logProbs[next] += PhraseBonus;

        // 4. No dead ends: a piece may not lead where every way to end a word is banned, or too far to end in time.
        var remaining = _maxLength - generated.Length - 1;
        if (node >= 0 && node < _nodeCount)
        {
            BanDeadEnds(logProbs, banned, node, node);
            if (remaining < _deepest || remaining == 0)
                for (var c = first; c < last; c++)
                    if (TooFar(_childNode[c], remaining, banned))
                        logProbs[_childPiece[c]] = float.NegativeInfinity;
        }
        if (canEnd)
        {
            BanDeadEnds(logProbs, bannedNext, TextRoot, NumberRoot);
            if (remaining < _deepest || remaining == 0)
                for (var root = TextRoot; root <= NumberRoot; root++)
                    for (var c = _childStart[root]; c < _childStart[root + 1]; c++)
                        if (TooFar(_childNode[c], remaining, bannedNext))
                            logProbs[_childPiece[c]] = float.NegativeInfinity;
        }
    }

    // True when no word can end within the pieces left after this one (the last piece must end an unbanned word).
    private bool TooFar(int node, int remaining, ReadOnlySpan<int> banned) =>
        _toEnd[node] > remaining || (remaining == 0 && banned.Contains(Finishing(node)));

    // Bans each child of parent (or of otherParent) under which every place a word may end is banned.
    private void BanDeadEnds(Span<float> logProbs, ReadOnlySpan<int> banned, int parent, int otherParent)
    {
        foreach (var word in banned)
        {
            if (word >= _nodeCount)
            {
                if (parent == TextRoot)
                    logProbs[word - _nodeCount] = float.NegativeInfinity; // a vocabulary word: a leaf under the text root
                continue;
            }
            // The word ends at its node and, for a number, at a separator right after it ("2017 .").
            MarkBanned(word);
            for (var c = _childStart[word]; c < _childStart[word + 1]; c++)
                if (_separator[_childNode[c]])
                    MarkBanned(_childNode[c]);
        }
        foreach (var node in _touched)
        {
            if (_parent[node] is var p && (p == parent || p == otherParent) && _bannedBelow[node] >= _ends[node])
                logProbs[_piece[node]] = float.NegativeInfinity;
        }
        foreach (var node in _touched)
            _bannedBelow[node] = 0;
        _touched.Clear();
    }

    private void MarkBanned(int node)
    {
        for (; node > NumberRoot; node = _parent[node])
        {
            if (_bannedBelow[node]++ == 0)
                _touched.Add(node);
        }
    }

    // A finished unit adds its word (if alphanumeric) to the words so far; punctuation only marks that it came between.
    private void Finish(int node, ref int wordCount, ref bool punctuationSince)
    {
        var word = Finishing(node);
        if (word != None && IsAlphanumeric(word))
        {
            _words[wordCount++] = word;
            punctuationSince = node < _nodeCount && _separator[node]; // "2017 ." — the number, then punctuation
        }
        else
            punctuationSince = true;
    }

    // The word a unit stands for if it ends now (a separator ends the number before it), or None when it cannot end.
    private int Finishing(int node)
    {
        if (node >= _nodeCount)
            return node;
        if (_separator[node])
            node = _parent[node];
        return _terminal[node] ? node : None;
    }

    // Each banned word once: the word before (no stutter), those completing a repeated word n-gram, content words at their limit.
    private ReadOnlySpan<int> BannedWords(ReadOnlySpan<int> words, bool punctuationSince, int[] into)
    {
        var count = 0;
        var n = words.Length;
        _call++;
        if (n > 0 && !punctuationSince)
            Add(words[n - 1]);
        var k = _noRepeatWordNgramSize;
        if (k > 0 && n >= k - 1)
        {
            var prefix = words[(n - k + 1)..];
            for (var i = 0; i + k <= n; i++)
                if (words.Slice(i, k - 1).SequenceEqual(prefix))
                    Add(words[i + k - 1]);
        }
        if (_maxWordRepeats > 0)
        {
            foreach (var word in words)
                foreach (var key in KeysOf(word))
                    _keyCount[key]++;
            foreach (var word in words)
            {
                foreach (var key in KeysOf(word))
                {
                    var written = _keyCount[key];
                    if (written <= 0)
                        continue; // done already
                    // Every unit that would write this part once too often is banned: "fight" twice bans "fight" and
                    // "mega-fight" alike, "face" once bans "face-to-face".
                    if (key < _vocabulary.Size && written + 1 > _maxWordRepeats)
                        Add(_nodeCount + key);
                    if (_unitsWithKey.TryGetValue(key, out var units))
                        for (var u = units.Start; u < units.Start + units.Count; u++)
                            if (written + _timesInUnit[u] > _maxWordRepeats)
                                Add(_unitWithKey[u]);
                    _keyCount[key] = 0; // back to zero for the next call, and each key once
                }
            }
            foreach (var unit in _overfull)
                Add(unit);
        }
        return into.AsSpan(0, count);

        void Add(int word)
        {
            if (_addedAt[word] != _call)
            {
                _addedAt[word] = _call;
                into[count++] = word;
            }
        }
    }

    // The content parts a finished unit counts as: a vocabulary word its own id (when a content word), a source unit its CSR slice.
    private ReadOnlySpan<int> KeysOf(int word)
    {
        if (word < _nodeCount)
            return _key.AsSpan(_keyStart[word], _keyStart[word + 1] - _keyStart[word]);
        var id = word - _nodeCount;
        return _vocabulary.IsContentWord(id) ? _vocabulary.Single(id) : [];
    }

    // The content parts of each terminal node, as the flaw rate reads them: its maximal runs of letters or digits that
    // have a letter and are no stopword ("o'neill" → "neill"); a number unit without such a part ("3-2") is its own key.
    private (int[] KeyStart, int[] Key, int[] UnitWithKey, int[] TimesInUnit, int KeyCount) ContentKeys()
    {
        var vocabularySize = _vocabulary.Size;
        var partIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyStart = new int[_nodeCount + 1];
        var keys = new List<int>();
        var units = new SortedDictionary<int, List<(int Node, int Times)>>();
        for (var node = 0; node < _nodeCount; node++)
        {
            keyStart[node] = keys.Count;
            if (node <= NumberRoot || !_terminal[node] || !_content[node])
                continue;
            var first = keys.Count;
            foreach (var part in Text.WordParts.Of(_text[node]))
                if (Text.WordParts.IsContent(part))
                    AddKey(part);
            if (keys.Count == first && !_text[node].Any(char.IsLetter))
                AddKey(_text[node]);

            void AddKey(string part)
            {
                var id = _vocabulary.WholeWordId(part);
                if (id < 0 || !_vocabulary.IsContentWord(id))
                {
                    if (!partIds.TryGetValue(part, out id))
                        partIds[part] = id = vocabularySize + partIds.Count;
                }
                var again = keys.IndexOf(id, first) >= 0;
                keys.Add(id); // with repeats: a unit counts each time it writes the part
                if (!units.TryGetValue(id, out var list))
                    units[id] = list = [];
                if (again)
                    list[^1] = (node, list[^1].Times + 1);
                else
                    list.Add((node, 1));
            }
        }
        keyStart[_nodeCount] = keys.Count;
        var unitWithKey = new List<(int Node, int Times)>();
        foreach (var (key, list) in units)
        {
            _unitsWithKey[key] = (unitWithKey.Count, list.Count);
            unitWithKey.AddRange(list);
        }
        return (keyStart, keys.ToArray(), unitWithKey.Select(u => u.Node).ToArray(), unitWithKey.Select(u => u.Times).ToArray(),
            vocabularySize + partIds.Count);
    }

    private int MaxKeys()
    {
        var most = 1;
        for (var node = 0; node < _nodeCount; node++)
            most = Math.Max(most, _keyStart[node + 1] - _keyStart[node]);
        return most;
    }

    private int Child(int node, int id) =>
        node < _nodeCount && _child.TryGetValue(Key(node, id), out var child) ? child : None;

    private int Start(int id)
    {
        if (_vocabulary.IsSpecial(id) || _vocabulary.IsContinuation(id))
            return None;
        var root = _vocabulary.HasDigit(id) ? NumberRoot : TextRoot;
        var child = Child(root, id);
        if (child != None)
            return child;
        return root == TextRoot ? _nodeCount + id : None;
    }




    private bool IsAlphanumeric(int word) => word >= _nodeCount ? _vocabulary.IsAlphanumeric(word - _nodeCount) : _alphanumeric[word];

    // The last part of a finished word (after its last glue mark), or null for none / punctuation.
    private string? TailOf(int word) =>
        word == None || !IsAlphanumeric(word) ? null : word >= _nodeCount ? _vocabulary.Pieces[word - _nodeCount] : _tail[word];

    // True when nothing but a glue mark (or nothing at all) can follow the node: such a word cannot be told from a stutter.
    private bool OnlyGlueAfter(int node)
    {
        if (node >= _nodeCount)
            return true;
        for (var c = _childStart[node]; c < _childStart[node + 1]; c++)
            if (!_glued[_childNode[c]])
                return false;
        return true;
    }

    private string TextOf(int node) => node >= _nodeCount ? _vocabulary.Pieces[node - _nodeCount]! : _text[node];

    private bool IsHyphen(int id) => _vocabulary.Pieces[id] == "-";

    private static long Key(int node, int id) => ((long)node << 32) | (uint)id;

    // Words of the source as [start, end) index ranges: a piece that is not ## starts one; special ids belong to none.
    private List<(int Start, int End)> SourceWords(ReadOnlySpan<int> ids)
    {
        var words = new List<(int, int)>();
        var start = None;
        for (var i = 0; i <= ids.Length; i++)
        {
            var continues = i < ids.Length && _vocabulary.IsContinuation(ids[i]) && start != None;
            if (continues)
                continue;
            if (start != None)
                words.Add((start, i));
            start = i < ids.Length && !_vocabulary.IsSpecial(ids[i]) && !_vocabulary.IsContinuation(ids[i]) ? i : None;
        }
        return words;
    }

    // Written units: a word, then (glue mark, word) pairs written without spaces — "1,000.5", "3-2", "ward-prowse",
    // "o'neill" — or, for a hyphen, with them too. A glue mark followed by a space ("said.", "47 ,") ends the unit before it.
    private List<int[]> Runs(ReadOnlySpan<int> ids, ReadOnlySpan<(int Start, int End)> spans, List<(int Start, int End)> words)
    {
        var runs = new List<int[]>();
        for (var w = 0; w < words.Count; w++)
        {
            var (start, end) = words[w];
            while (w + 2 < words.Count
                && words[w + 1].End - words[w + 1].Start == 1 && _vocabulary.IsGlue(ids[words[w + 1].Start])
                && !_vocabulary.IsGlue(ids[words[w + 2].Start])
                && (IsHyphen(ids[words[w + 1].Start]) // PTB text spaces its hyphens ("ward - prowse"), the output never does
                    || (spans[words[w + 1].Start].Start <= spans[end - 1].End && spans[words[w + 2].Start].Start <= spans[words[w + 1].Start].End)))
            {
                end = words[w + 2].End;
                w += 2;
            }
            runs.Add(ids[start..end].ToArray());
        }
        return runs;
    }

    // Builds the source trie; node 0 is the text root, node 1 the number root.
    private sealed class TrieBuilder(GroundingVocabulary vocabulary)
    {
        public List<int> Parent { get; } = [None, None];
        public List<int> Piece { get; } = [None, None];
        public List<bool> Terminal { get; } = [false, false];
        public List<bool> Separator { get; } = [false, false];
        public Dictionary<long, int> Children { get; } = [];

        public int Count => Parent.Count;

        public void Add(int root, ReadOnlySpan<int> pieces, bool terminalAtFirst)
        {
            var node = root;
            for (var i = 0; i < pieces.Length; i++)
            {
                var id = pieces[i];
                if (!Children.TryGetValue(Key(node, id), out var child))
                {
                    child = Count;
                    Parent.Add(node);
                    Piece.Add(id);
                    Terminal.Add(false);
                    Separator.Add(root == NumberRoot && vocabulary.IsNumberSeparator(id));
                    Children.Add(Key(node, id), child);
                }
                node = child;
                if (i == 0 && terminalAtFirst)
                    Terminal[node] = true; // the first piece is a whole vocabulary word by itself
            }
            Terminal[node] = true;
        }

        public string Text(int node)
        {
            var text = "";
            for (; node > NumberRoot; node = Parent[node])
                text = vocabulary.Pieces[Piece[node]] + text;
            return text;
        }

        public (int[] Start, int[] Piece, int[] Node) Csr()
        {
            var start = new int[Count + 1];
            foreach (var node in Children.Values)
                start[Parent[node] + 1]++;
            for (var i = 0; i < Count; i++)
                start[i + 1] += start[i];
            var fill = start[..Count];
            var pieces = new int[Children.Count];
            var nodes = new int[Children.Count];
            foreach (var node in Children.Values.Order())
            {
                var at = fill[Parent[node]]++;
                pieces[at] = Piece[node];
                nodes[at] = node;
            }
            return (start, pieces, nodes);
        }
    }
}
