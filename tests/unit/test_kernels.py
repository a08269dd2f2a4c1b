import numpy as np
import pytest

from engine import kernels


def test_named_presets_have_the_documented_values():
    np.testing.assert_array_equal(kernels.get_kernel("edge"), [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
    np.testing.assert_array_equal(kernels.get_kernel("emboss"), [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
    for name in ("top sobel", "bottom sobel", "left sobel", "right sobel"):
        k = kernels.get_kernel(name)
        assert k.sum() == 0 and np.abs(k).max() == 2
    np.testing.assert_array_equal(kernels.get_kernel("top sobel"), -kernels.get_kernel("bottom sobel"))
    np.testing.assert_array_equal(kernels.get_kernel("left sobel"), -kernels.get_kernel("right sobel"))
    assert kernels.get_kernel("box blur").sum() == pytest.approx(1.0)


def test_every_preset_has_an_explanation():
    assert set(kernels.PRESET_NAMES) <= set(kernels.EXPLANATIONS)


@pytest.mark.parametrize("size, sigma", [(1, 1.0), (2, 0.5), (5, 1.0), (7, 3.0)])
def test_gaussian_is_normalised_and_symmetric(size, sigma):
    g = kernels.gaussian_kernel(size, sigma)
    assert g.shape == (size, size) and g.sum() == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(g, g.T)
    np.testing.assert_allclose(g, g[::-1, ::-1], atol=1e-7)


@pytest.mark.parametrize("values, fragment", [
    ([[1, "x"]], "Cell (1, 2) holds 'x'"),
    ([[float("nan")]], "finite"),
    ([[1, float("inf")]], "finite"),
    ([[1, 2], [3]], "rectangular"),
    ([[0] * 8], "between 1 and 7"),
    ([], "at least one row"),
    ([[True]], "not a number"),
])
def test_invalid_custom_kernels_name_the_value_and_rule(values, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        kernels.validate_grid(values)


def test_rectangular_custom_kernel_and_text_roundtrip():
    k = kernels.validate_grid([["1", " 2.5 "], [3, -4]])
    assert k.shape == (2, 2)
    np.testing.assert_array_equal(kernels.grid_from_text(kernels.grid_to_text(k)), k)
    assert kernels.grid_from_text("1,2,3").shape == (1, 3)
