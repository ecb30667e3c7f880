using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace ValDrome.Web.Pages;

/// <summary>
/// Validation attributes written without a message (<c>[StringLength(200)]</c>, and the
/// <c>[Required]</c> MVC adds itself to every non-nullable property) get a French one, not the
/// framework's « The field … ». A message written on the attribute is kept.
/// </summary>
public sealed class FrenchValidationMessages : IValidationMetadataProvider
{
    public void CreateValidationMetadata(ValidationMetadataProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
        {
            if (attribute.ErrorMessage is not null || attribute.ErrorMessageResourceType is not null)
            {
                continue;
            }

            attribute.ErrorMessage = attribute switch
            {
                RequiredAttribute => "« {0} » est obligatoire.",
                StringLengthAttribute { MinimumLength: > 0 } => "« {0} » compte de {2} à {1} caractères.",
                StringLengthAttribute or MaxLengthAttribute => "« {0} » est limité à {1} caractères.",
                MinLengthAttribute => "« {0} » compte au moins {1} caractères.",
                RangeAttribute => "« {0} » va de {1} à {2}.",
                EmailAddressAttribute => "« {0} » n'est pas une adresse électronique valable.",
                CompareAttribute => "« {0} » et « {1} » ne sont pas identiques.",
                _ => "« {0} » n'est pas valable.",
            };
        }
    }
}
