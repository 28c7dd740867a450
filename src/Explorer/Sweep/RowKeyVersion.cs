using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The version of the row-key scheme, recorded in a results folder's sweep-id.json and sweep.json (<c>key_version</c>).
/// Version 1 (folders that record none) hashed the base file's canonical YAML and the point's sets as written; version 2
/// hashes the resolved design (<see cref="DesignKey"/>). Keys of two versions never match, so a folder of another version
/// is refused for resume and merge instead of being evaluated again in full or mixed.
/// </summary>
public static class RowKeyVersion
{
    /// <summary>The scheme this build writes.</summary>
    public const int Current = 2;

    internal const string CurrentText = "2";

    /// <summary>Throws unless <paramref name="recorded"/> (null: a folder from before versions were recorded, version 1) is <see cref="Current"/>.</summary>
    /// <param name="dir">The results folder.</param>
    /// <param name="file">The file of <paramref name="dir"/> the version was read from.</param>
    /// <param name="use">What the folder was going to be used for ("resumed", "merged").</param>
    /// <param name="remedy">What to do instead.</param>
    public static void Require(int? recorded, string dir, string file, string use, string remedy)
    {
        int version = recorded ?? 1;
        if (version == Current) return;
        throw new MantissaException($"{dir} was written with row keys of version {version} (per its {file}{(recorded is null ? ", which records none" : "")}); " +
                                    $"this mantissa writes version {Current} (keys from the resolved design), so its rows cannot be {use}: {remedy}");
    }
}
