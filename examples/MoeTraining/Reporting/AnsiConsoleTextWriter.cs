using System.Text;
using Spectre.Console;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>A <see cref="TextWriter"/> that writes plain text (no markup) through an <see cref="IAnsiConsole"/>.</summary>
public sealed class AnsiConsoleTextWriter : TextWriter
{
    private readonly IAnsiConsole _console;

    /// <summary>Wraps <paramref name="console"/>.</summary>
    public AnsiConsoleTextWriter(IAnsiConsole console)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
    }

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override void Write(char value) => _console.Write(new Text(value.ToString()));

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _console.Write(new Text(value));
        }
    }

    /// <inheritdoc />
    public override void WriteLine(string? value) => _console.WriteLine(value ?? string.Empty);
}
