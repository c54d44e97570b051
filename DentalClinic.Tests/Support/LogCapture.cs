using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DentalClinic.Tests.Support;

/// <summary>Keeps every log entry an application writes (message, scopes, exception) so tests can check what is logged.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append($" {key}={value}");
            owner.scopes.ForEachScope((scope, sb) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) sb.Append($" {key}={value}");
                else sb.Append($" {scope}");
            }, text);
            if (exception is not null) text.Append(' ').Append(exception);
            owner.entries.Enqueue(text.ToString());
        }
    }
}
