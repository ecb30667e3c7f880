using Microsoft.AspNetCore.Identity;

namespace ValDrome.Web.Pages.Account;

/// <summary>Identity's refusals in French: they are shown as they are on the account pages.</summary>
public sealed class FrenchIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), "Une erreur inattendue s'est produite.");

    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), "Ce compte vient d'être modifié par quelqu'un d'autre : rechargez la page et recommencez.");

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "Mot de passe incorrect.");

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), "Ce lien n'est plus valable : il a expiré ou a déjà servi.");

    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), "Ce compte a déjà un mot de passe.");

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), $"L'identifiant « {userName} » n'est pas valable.");

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), $"L'adresse « {email} » n'est pas valable.");

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), $"L'identifiant « {userName} » est déjà pris.");

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), $"L'adresse « {email} » a déjà un compte.");

    public override IdentityError UserAlreadyInRole(string role) => Error(nameof(UserAlreadyInRole), $"Ce compte a déjà le rôle « {role} ».");

    public override IdentityError UserNotInRole(string role) => Error(nameof(UserNotInRole), $"Ce compte n'a pas le rôle « {role} ».");

    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), "Le blocage n'est pas activé pour ce compte.");

    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), $"Le mot de passe doit compter au moins {length}\u00a0caractères.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), $"Le mot de passe doit compter au moins {uniqueChars}\u00a0caractères différents.");

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Error(nameof(PasswordRequiresNonAlphanumeric), "Le mot de passe doit contenir au moins un caractère qui n'est ni une lettre ni un chiffre.");

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "Le mot de passe doit contenir au moins un chiffre.");

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "Le mot de passe doit contenir au moins une minuscule.");

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "Le mot de passe doit contenir au moins une majuscule.");

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
