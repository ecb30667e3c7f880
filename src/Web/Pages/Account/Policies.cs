namespace ValDrome.Web.Pages.Account;

/// <summary>Authorization policies of page folders.</summary>
public static class Policies
{
    public const string Admin = "admin";

    /// <summary>Those who invite people and keep their accounts: staff and admins.</summary>
    public const string AccountKeepers = "account-keepers";

    /// <summary>Those who service units: the technician, staff, admins.</summary>
    public const string Workshop = "workshop";
}
