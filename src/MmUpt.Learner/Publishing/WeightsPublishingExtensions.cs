using Microsoft.Extensions.DependencyInjection;
using MmUpt.Core.Options;
using MmUpt.Weights;

namespace MmUpt.Learner.Publishing;

/// <summary>Registers the learner's weights store, which WeightsService serves and <see cref="WeightsPublisher"/> writes.</summary>
public static class WeightsPublishingExtensions
{
    public static IServiceCollection AddWeightsPublishing(this IServiceCollection services, WeightsPublishingOptions options)
    {
        OptionsBinder.Validate(options, WeightsPublishingOptions.Section);
        services.AddSingleton(options);
        // Ephemeral versions, checked by their readers' SHA-256 sums: no fsync (see WeightsStore).
        services.AddSingleton(new WeightsStore(options.Folder, options.KeepVersions, durable: false));
        return services;
    }
}
