namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>An IDX file is corrupt, truncated or not of the expected shape.</summary>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception with a message that names the file.</summary>
    public IdxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public IdxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
