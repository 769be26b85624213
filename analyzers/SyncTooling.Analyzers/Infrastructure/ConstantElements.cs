using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>The elements of a collection written in place: <c>["a", "b"]</c>, <c>new[] { ... }</c>, <c>new List&lt;string&gt; { ... }</c>.</summary>
internal static class ConstantElements
{
    /// <summary>The element values; empty when the collection is not written in place (a variable, a method call).</summary>
    public static IEnumerable<IOperation> Of(IOperation collection)
    {
        while (collection is IConversionOperation { IsImplicit: true } conversion)
        {
            collection = conversion.Operand;
        }

        switch (collection)
        {
            case ICollectionExpressionOperation expression:
                foreach (var element in expression.Elements)
                {
                    // A spread ("..other") is not an element of its own.
                    if (element is not ISpreadOperation)
                    {
                        yield return element;
                    }
                }

                break;
            case IArrayCreationOperation { Initializer: { } array }:
                foreach (var element in array.ElementValues)
                {
                    yield return element;
                }

                break;
            case IObjectCreationOperation { Initializer: { } initializer }:
                foreach (var add in initializer.Initializers)
                {
                    if (add is IInvocationOperation { Arguments.Length: 1 } invocation)
                    {
                        yield return invocation.Arguments[0].Value;
                    }
                }

                break;
        }
    }
}
