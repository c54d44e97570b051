namespace DentalClinic.Migrations;

/// <summary>
/// The SQL that fills <c>patients.search_text</c> for rows that existed before the AddPatientSearch
/// migration, on both providers. It mirrors <c>PatientSearch.Text</c> (lower case, accents of
/// Latin letters and apostrophes removed, punctuation as single spaces, E.164 digits) exactly for names and
/// emails written in Latin script; the application rewrites the column whenever a patient is saved.
/// Frozen with the migration: later changes to the application's normalisation need a migration of their own.
/// </summary>
public static class PatientSearchBackfill
{
    /// <summary>Each entry: a Latin letter with an accent (either case), then what it becomes.</summary>
    private const string AccentedLetters =
        "Àa Áa Âa Ãa Äa Åa Æae Çc Èe Ée Êe Ëe Ìi Íi Îi Ïi Ðd Ñn Òo Óo Ôo Õo Öo Øo Ùu Úu Ûu Üu Ýy Þth ßss àa " +
        "áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy þth ÿy Āa āa " +
        "Ăa ăa Ąa ąa Ćc ćc Ĉc ĉc Ċc ċc Čc čc Ďd ďd Đd đd Ēe ēe Ĕe ĕe Ėe ėe Ęe ęe Ěe ěe Ĝg ĝg Ğg ğg Ġg ġg Ģg " +
        "ģg Ĥh ĥh Ħh ħh Ĩi ĩi Īi īi Ĭi ĭi Įi įi ıi Ĵj ĵj Ķk ķk Ĺl ĺl Ļl ļl Ľl ľl Łl łl Ńn ńn Ņn ņn Ňn ňn Ōo " +
        "ōo Ŏo ŏo Őo őo Œoe œoe Ŕr ŕr Ŗr ŗr Řr řr Śs śs Ŝs ŝs Şs şs Šs šs Ţt ţt Ťt ťt Ŧt ŧt Ũu ũu Ūu ūu Ŭu " +
        "ŭu Ůu ůu Űu űu Ųu ųu Ŵw ŵw Ŷy ŷy Ÿy Źz źz Żz żz Žz žz Ơo ơo Ưu ưu Ǎa ǎa Ǐi ǐi Ǒo ǒo Ǔu ǔu Ǖu ǖu Ǘu " +
        "ǘu Ǚu ǚu Ǜu ǜu Ǟa ǟa Ǡa ǡa Ǣae ǣae Ǧg ǧg Ǩk ǩk Ǫo ǫo Ǭo ǭo ǰj Ǵg ǵg Ǹn ǹn Ǻa ǻa Ǽae ǽae Ǿo ǿo Ȁa ȁa " +
        "Ȃa ȃa Ȅe ȅe Ȇe ȇe Ȉi ȉi Ȋi ȋi Ȍo ȍo Ȏo ȏo Ȑr ȑr Ȓr ȓr Ȕu ȕu Ȗu ȗu Șs șs Țt țt Ȟh ȟh Ȧa ȧa Ȩe ȩe Ȫo " +
        "ȫo Ȭo ȭo Ȯo ȯo Ȱo ȱo Ȳy ȳy ";

    /// <summary>Removed: O'Brien is found as obrien.</summary>
    private const string Apostrophes = "'`\u00B4\u2018\u2019\u02BC";

    private const string Punctuation = "!\"#$%&()*+,-./:;<=>?@[\\]^_{|}~";

    public static string UpdateSql => $"UPDATE patients SET search_text = {SearchTextExpression}";

    /// <summary>An SQL expression over a row of <c>patients</c> giving its search text.</summary>
    public static string SearchTextExpression =>
        Collapse($"' ' || {Words("first_name")} || ' ' || {Words("last_name")} || ' # ' || {Words("coalesce(email, '')")} || ' ' || replace(mobile_e164, '+', '') || ' '");

    /// <summary>The words of a text column: accents and case removed, punctuation as single spaces, trimmed.</summary>
    private static string Words(string column)
    {
        var sql = column;
        foreach (var entry in AccentedLetters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            sql = $"replace({sql}, '{entry[0]}', '{entry[1..]}')";
        foreach (var c in Apostrophes)
            sql = $"replace({sql}, '{(c == '\'' ? "''" : c.ToString())}', '')";
        foreach (var c in Punctuation)
            sql = $"replace({sql}, '{c}', ' ')";
        return $"trim({Collapse($"lower({sql})")})";
    }

    /// <summary>Runs of spaces as one space ('&lt;' and '&gt;' are gone by then: they are punctuation).</summary>
    private static string Collapse(string sql) => $"replace(replace(replace({sql}, ' ', '<>'), '><', ''), '<>', ' ')";
}
