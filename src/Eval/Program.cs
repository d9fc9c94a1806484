using Summarizer.Eval;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return EvalCommand.Run(args, Console.Out, Console.Error, cancellation.Token);
